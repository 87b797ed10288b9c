/**
 * ABCI results as CometBFT 0.38 returns them over RPC. Event attributes are plain
 * strings since 0.37; `code` and empty optional strings/bytes are omitted, which every
 * client (cosmjs `decodeTxData`, tendermint-rs) reads as 0/"".
 */
import type {
  Event,
  ExecTxResult,
  ResponseCheckTx,
  ResponseFinalizeBlock,
  ResponseInfo,
  ResponseQuery,
  ValidatorUpdate,
} from 'cosmjs-types/tendermint/abci/types';
import { b64, int64 } from './primitives.js';
import { publicKeyOneofJson } from './keys.js';
import { consensusParamsJson } from './params.js';

export interface EventJson {
  type: string;
  attributes: { key: string; value: string; index: boolean }[];
}

/**
 * Attributes with an empty key are dropped: no query can name them and cosmjs rejects
 * them (`jCheckNonEmptyString`), which would make the whole response undecodable.
 */
export function eventJson(e: Event): EventJson {
  return {
    type: e.type,
    attributes: e.attributes.filter((a) => a.key !== '').map((a) => ({ key: a.key, value: a.value, index: a.index })),
  };
}

type Optional = Record<string, string | number>;

function omitEmpty(fields: Optional): Optional {
  const out: Optional = {};
  for (const [k, v] of Object.entries(fields)) if (v !== '' && v !== 0) out[k] = v;
  return out;
}

/** ExecTxResult (`tx_result`, `txs_results[]`) and ResponseCheckTx (`check_tx`) share one shape. */
export function txResultJson(r: ExecTxResult | ResponseCheckTx): Record<string, unknown> {
  return {
    ...omitEmpty({ code: r.code, data: b64(r.data), log: r.log, info: r.info }),
    gas_wanted: int64(r.gasWanted),
    gas_used: int64(r.gasUsed),
    events: r.events.map(eventJson),
    ...omitEmpty({ codespace: r.codespace }),
  };
}

export function abciInfoJson(r: ResponseInfo): Record<string, unknown> {
  return {
    ...omitEmpty({ data: r.data, version: r.version }),
    app_version: int64(r.appVersion),
    last_block_height: int64(r.lastBlockHeight),
    ...omitEmpty({ last_block_app_hash: b64(r.lastBlockAppHash) }),
  };
}

/**
 * `code` is always present here: cosmjs decodes a missing abci_query code as
 * undefined (not 0, unlike tx results), and recorded 0.38 nodes send `"code": 0`.
 */
export function abciQueryJson(r: ResponseQuery): Record<string, unknown> {
  return {
    code: r.code,
    ...omitEmpty({ log: r.log, info: r.info }),
    index: int64(r.index),
    key: b64(r.key),
    value: b64(r.value),
    ...(r.proofOps && r.proofOps.ops.length > 0
      ? { proofOps: { ops: r.proofOps.ops.map((op) => ({ type: op.type, key: b64(op.key), data: b64(op.data) })) } }
      : {}),
    height: int64(r.height),
    ...omitEmpty({ codespace: r.codespace }),
  };
}

export function validatorUpdateJson(u: ValidatorUpdate): Record<string, unknown> {
  return { pub_key: publicKeyOneofJson(u.pubKey), power: int64(u.power) };
}

/** `block_results` for `height`. */
export function blockResultsJson(height: number, r: ResponseFinalizeBlock): Record<string, unknown> {
  return {
    height: int64(height),
    txs_results: r.txResults.map(txResultJson),
    finalize_block_events: r.events.map(eventJson),
    validator_updates: r.validatorUpdates.map(validatorUpdateJson),
    consensus_param_updates: r.consensusParamUpdates ? consensusParamsJson(r.consensusParamUpdates) : null,
    app_hash: b64(r.appHash),
  };
}

/** `result_finalize_block` inside a NewBlock event (empty lists omitted, as CometBFT does). */
export function finalizeBlockEventJson(r: ResponseFinalizeBlock): Record<string, unknown> {
  return {
    ...(r.events.length > 0 ? { events: r.events.map(eventJson) } : {}),
    ...(r.txResults.length > 0 ? { tx_results: r.txResults.map(txResultJson) } : {}),
    validator_updates: r.validatorUpdates.map(validatorUpdateJson),
    ...(r.consensusParamUpdates ? { consensus_param_updates: consensusParamsJson(r.consensusParamUpdates) } : {}),
    app_hash: b64(r.appHash),
  };
}
