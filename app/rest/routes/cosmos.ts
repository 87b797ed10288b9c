/**
 * The cosmos-sdk gateway paths wallets call (auth accounts, bank balances and supply,
 * tx simulate / broadcast / get, node info, latest block), answered by the app's own
 * query router and the node's mempool and block store.
 */
import { QueryAccountRequest, QueryAccountResponse, QueryParamsRequest as AuthParamsRequest, QueryParamsResponse as AuthParamsResponse } from 'cosmjs-types/cosmos/auth/v1beta1/query';
import { BaseAccount, ModuleAccount } from 'cosmjs-types/cosmos/auth/v1beta1/auth';
import {
  QueryAllBalancesRequest,
  QueryAllBalancesResponse,
  QueryBalanceRequest,
  QueryBalanceResponse,
  QueryParamsRequest as BankParamsRequest,
  QueryParamsResponse as BankParamsResponse,
  QuerySupplyOfRequest,
  QuerySupplyOfResponse,
  QueryTotalSupplyRequest,
  QueryTotalSupplyResponse,
} from 'cosmjs-types/cosmos/bank/v1beta1/query';
import { SimulateRequest, SimulateResponse } from 'cosmjs-types/cosmos/tx/v1beta1/service';
import { AuthInfo, TxBody, TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import { signModeToJSON } from 'cosmjs-types/cosmos/tx/signing/v1beta1/signing';
import { PubKey as Secp256k1PubKey } from 'cosmjs-types/cosmos/crypto/secp256k1/keys';
import { PubKey as Ed25519PubKey } from 'cosmjs-types/cosmos/crypto/ed25519/keys';
import { blockIDFlagToJSON } from 'cosmjs-types/tendermint/types/validator';
import { signedMsgTypeToJSON } from 'cosmjs-types/tendermint/types/types';
import type { Event } from 'cosmjs-types/tendermint/abci/types';
import { sha256 } from '@noble/hashes/sha2.js';
import { defaultRegistryTypes } from '@cosmjs/stargate';
import { voteOptionToJSON, emergencyActionToJSON } from '../../../proto/gen/guts/gov/v1/gov.js';
import { collabEventTypeToJSON } from '../../../proto/gen/guts/repo/v1/repo.js';
import { createModules } from '../../chain/modules.js';
import { rfc3339 } from '../../rpc/encoding/time.js';
import { COMETBFT_VERSION } from '../../rpc/methods/info.js';
import { ErrTxDecode } from '../../errors.js';
import { ErrBody, ErrUnavailable, RestFailure } from '../errors.js';
import { toProtoJson, type AnyDecoders, type JsonOptions } from '../json.js';
import { address, denom, txHash } from '../params.js';
import { grpcQuery, queryRoute, type Route } from '../route.js';
import type { RestBackend } from '../backend.js';

/** Payload decoders for `Any`: accounts, keys, cosmos messages (cosmjs registry) and every Guts message. */
function anyDecoders(): AnyDecoders {
  const m = new Map<string, { decode(b: Uint8Array): unknown }>([
    ['/cosmos.auth.v1beta1.BaseAccount', BaseAccount],
    ['/cosmos.auth.v1beta1.ModuleAccount', ModuleAccount],
    ['/cosmos.crypto.secp256k1.PubKey', Secp256k1PubKey],
    ['/cosmos.crypto.ed25519.PubKey', Ed25519PubKey],
  ]);
  for (const [typeUrl, t] of defaultRegistryTypes) {
    const c = t as unknown as { decode?: (b: Uint8Array) => unknown };
    if (typeof c.decode === 'function') m.set(typeUrl, c as { decode(b: Uint8Array): unknown });
  }
  for (const mod of createModules().list) for (const h of mod.msgs ?? []) m.set(h.typeUrl, h);
  return m;
}

const ANYS = anyDecoders();
/** Enum fields that occur in txs and blocks (sign modes, votes, anchors, emergency actions, commit flags). */
const TX_JSON: JsonOptions = {
  anys: ANYS,
  enums: { mode: signModeToJSON, option: voteOptionToJSON, eventType: collabEventTypeToJSON, action: emergencyActionToJSON, blockIdFlag: blockIDFlagToJSON, type: signedMsgTypeToJSON },
};

const hexUpper = (b: Uint8Array): string => Buffer.from(b).toString('hex').toUpperCase();

/** `cosmos.tx.v1beta1.Tx` as JSON, or null for bytes that are not a cosmos tx. */
export function txJson(bytes: Uint8Array): Record<string, unknown> | null {
  try {
    const raw = TxRaw.decode(bytes);
    return {
      body: toProtoJson(TxBody.decode(raw.bodyBytes), TX_JSON),
      auth_info: toProtoJson(AuthInfo.decode(raw.authInfoBytes), TX_JSON),
      signatures: raw.signatures.map((s) => Buffer.from(s).toString('base64')),
    };
  } catch {
    return null;
  }
}

function eventsJson(events: readonly Event[]): unknown {
  return toProtoJson(events);
}

interface TxResponseFields {
  height: number;
  hash: Uint8Array;
  code: number;
  codespace: string;
  log: string;
  data?: Uint8Array;
  gasWanted: bigint;
  gasUsed: bigint;
  events: readonly Event[];
  tx?: Uint8Array;
  timestamp?: string;
}

function txResponseJson(f: TxResponseFields): Record<string, unknown> {
  const tx = f.tx ? txJson(f.tx) : null;
  return {
    height: String(f.height),
    txhash: hexUpper(f.hash),
    codespace: f.codespace,
    code: f.code,
    data: f.data && f.data.length > 0 ? hexUpper(f.data) : '',
    raw_log: f.log,
    logs: [],
    info: '',
    gas_wanted: f.gasWanted.toString(),
    gas_used: f.gasUsed.toString(),
    tx: tx ? { '@type': '/cosmos.tx.v1beta1.Tx', ...tx } : null,
    timestamp: f.timestamp ?? '',
    events: eventsJson(f.events),
  };
}

/** `{"tx_bytes": "<base64>", ...}` from a POST body. */
function txBytesOf(body: string): { txBytes: Uint8Array; json: Record<string, unknown> } {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw ErrBody.wrap('the body is not JSON; send {"tx_bytes": "<base64 TxRaw>"}');
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw ErrBody.wrap('the body must be a JSON object {"tx_bytes": "<base64 TxRaw>"}');
  const o = json as Record<string, unknown>;
  if (o.tx !== undefined && o.tx !== null && o.tx_bytes === undefined) throw ErrBody.wrap('the JSON `tx` field is not supported; send the signed TxRaw as "tx_bytes" (base64)');
  if (typeof o.tx_bytes !== 'string' || o.tx_bytes === '') throw ErrBody.wrap('"tx_bytes" must be a non-empty base64 string');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(o.tx_bytes) || o.tx_bytes.length % 4 !== 0) throw ErrBody.wrap('"tx_bytes" is not valid base64');
  const txBytes = Uint8Array.from(Buffer.from(o.tx_bytes, 'base64'));
  try {
    TxRaw.decode(txBytes);
  } catch (e) {
    throw ErrTxDecode.wrap(`tx_bytes is not a TxRaw: ${(e as Error).message}`);
  }
  return { txBytes, json: o };
}

const BROADCAST_MODES: Record<string, 'sync' | 'async' | 'block'> = {
  BROADCAST_MODE_SYNC: 'sync',
  BROADCAST_MODE_ASYNC: 'async',
  BROADCAST_MODE_BLOCK: 'block',
  '2': 'sync',
  '3': 'async',
  '1': 'block',
};

export function cosmosRoutes(b: RestBackend): Route[] {
  const q = b.query;
  return [
    queryRoute(q, '/cosmos/auth/v1beta1/accounts/:address', '/cosmos.auth.v1beta1.Query/Account', QueryAccountRequest, QueryAccountResponse, (r) => ({ address: address(r.params.address!, 'address') }), { anys: ANYS }),
    queryRoute(q, '/cosmos/bank/v1beta1/balances/:address', '/cosmos.bank.v1beta1.Query/AllBalances', QueryAllBalancesRequest, QueryAllBalancesResponse, (r) => ({ address: address(r.params.address!, 'address') })),
    queryRoute(q, '/cosmos/bank/v1beta1/balances/:address/by_denom', '/cosmos.bank.v1beta1.Query/Balance', QueryBalanceRequest, QueryBalanceResponse, (r) => ({ address: address(r.params.address!, 'address'), denom: denom(r.query.get('denom')) })),
    queryRoute(q, '/cosmos/bank/v1beta1/supply', '/cosmos.bank.v1beta1.Query/TotalSupply', QueryTotalSupplyRequest, QueryTotalSupplyResponse, () => ({})),
    queryRoute(q, '/cosmos/bank/v1beta1/supply/by_denom', '/cosmos.bank.v1beta1.Query/SupplyOf', QuerySupplyOfRequest, QuerySupplyOfResponse, (r) => ({ denom: denom(r.query.get('denom')) })),
    queryRoute(q, '/cosmos/bank/v1beta1/params', '/cosmos.bank.v1beta1.Query/Params', BankParamsRequest, BankParamsResponse, () => ({})),
    queryRoute(q, '/cosmos/auth/v1beta1/params', '/cosmos.auth.v1beta1.Query/Params', AuthParamsRequest, AuthParamsResponse, () => ({})),
    {
      method: 'POST',
      pattern: '/cosmos/tx/v1beta1/simulate',
      async handle(r) {
        const { txBytes } = txBytesOf(r.body);
        if (r.height !== 0) throw ErrBody.wrap('simulation runs against the latest state only; drop the height');
        const out = await grpcQuery(q, '/cosmos.tx.v1beta1.Service/Simulate', SimulateRequest.encode(SimulateRequest.fromPartial({ txBytes })).finish(), 0);
        return { body: toProtoJson(SimulateResponse.decode(out.value), TX_JSON), height: out.height };
      },
    },
    {
      method: 'POST',
      pattern: '/cosmos/tx/v1beta1/txs',
      async handle(r) {
        const { txBytes, json } = txBytesOf(r.body);
        const modeName = json.mode === undefined || json.mode === null ? 'BROADCAST_MODE_SYNC' : String(json.mode);
        const mode = BROADCAST_MODES[modeName];
        if (!mode) throw ErrBody.wrap(`"mode" ${JSON.stringify(json.mode)} must be BROADCAST_MODE_SYNC or BROADCAST_MODE_ASYNC`);
        if (mode === 'block') throw ErrUnavailable.wrap('BROADCAST_MODE_BLOCK was removed from cosmos-sdk; broadcast with BROADCAST_MODE_SYNC and poll GET /cosmos/tx/v1beta1/txs/{hash}');
        const hash = sha256(txBytes);
        const base = { height: 0, hash, gasWanted: 0n, gasUsed: 0n, events: [] as Event[] };
        if (mode === 'async') {
          // ASYNC answers before CheckTx; a refusal is only visible by polling the hash
          void b.broadcast(txBytes).catch(() => undefined);
          return { body: { tx_response: txResponseJson({ ...base, code: 0, codespace: '', log: '' }) } };
        }
        let res;
        try {
          res = await b.broadcast(txBytes);
        } catch (err) {
          const f = RestFailure.from(err);
          if (f.code === 1 && f.codespace === 'sdk') throw f;
          return { body: { tx_response: txResponseJson({ ...base, code: f.code, codespace: f.codespace, log: f.message }) } };
        }
        return { body: { tx_response: txResponseJson({ ...base, code: res.code, codespace: res.codespace, log: res.log, gasWanted: res.gasWanted, gasUsed: res.gasUsed, events: res.events }) } };
      },
    },
    {
      method: 'GET',
      pattern: '/cosmos/tx/v1beta1/txs/:hash',
      async handle(r) {
        const hash = txHash(r.params.hash!);
        const found = await b.txByHash(hash);
        if (!found) throw new RestFailure('sdk', 38, `tx ${hexUpper(hash)} not found: it is not in a committed block (yet)`);
        const block = await b.loadBlock(found.height);
        const res = found.result;
        const response = txResponseJson({
          height: found.height,
          hash,
          code: res.code,
          codespace: res.codespace,
          log: res.log,
          data: res.data,
          gasWanted: res.gasWanted,
          gasUsed: res.gasUsed,
          events: res.events,
          tx: found.tx,
          timestamp: block?.block.header?.time ? rfc3339(block.block.header.time) : '',
        });
        return { body: { tx: txJson(found.tx), tx_response: response }, height: found.height };
      },
    },
    {
      method: 'GET',
      pattern: '/cosmos/base/tendermint/v1beta1/node_info',
      async handle() {
        const ni = b.nodeInfo();
        return {
          body: {
            default_node_info: {
              protocol_version: { p2p: '8', block: '11', app: String(ni.appProtocolVersion ?? 0n) },
              default_node_id: ni.id,
              listen_addr: ni.listenAddr,
              network: ni.network,
              version: COMETBFT_VERSION,
              channels: ni.channels ? Buffer.from(ni.channels, 'hex').toString('base64') : '',
              moniker: ni.moniker,
              other: { tx_index: 'on', rpc_address: '' },
            },
            application_version: {
              name: 'guts',
              app_name: 'guts',
              version: b.appVersion ?? '',
              git_commit: '',
              build_tags: '',
              go_version: `node ${process.version}`,
              build_deps: [],
              cosmos_sdk_version: '',
            },
          },
        };
      },
    },
    {
      method: 'GET',
      pattern: '/cosmos/base/tendermint/v1beta1/blocks/latest',
      async handle() {
        const height = b.latestHeight();
        const stored = height > 0 ? await b.loadBlock(height) : undefined;
        if (!stored) throw new RestFailure('sdk', 38, 'no block has been committed yet');
        const blockId = toProtoJson(stored.blockId);
        const block = toProtoJson(stored.block, TX_JSON);
        return { body: { block_id: blockId, block, sdk_block: block }, height };
      },
    },
  ];
}
