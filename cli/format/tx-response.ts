/** `TxResponse` (cosmos.base.abci.v1beta1) in the JSON shape `simd tx …` and `simd query tx` print. */
import type { comet38 } from '@cosmjs/tendermint-rpc';
import { txToJson } from './proto-json.js';

export interface EventJson {
  type: string;
  attributes: Array<{ key: string; value: string }>;
}

export interface TxResponseJson {
  height: string;
  txhash: string;
  codespace: string;
  code: number;
  data: string;
  raw_log: string;
  logs: unknown[];
  info: string;
  gas_wanted: string;
  gas_used: string;
  tx: unknown;
  timestamp: string;
  events: EventJson[];
}

export function eventsToJson(events: readonly comet38.Event[]): EventJson[] {
  return events.map((e) => ({ type: e.type, attributes: e.attributes.map((a) => ({ key: a.key, value: a.value })) }));
}

export function emptyTxResponse(txhash: string): TxResponseJson {
  return {
    height: '0',
    txhash,
    codespace: '',
    code: 0,
    data: '',
    raw_log: '',
    logs: [],
    info: '',
    gas_wanted: '0',
    gas_used: '0',
    tx: null,
    timestamp: '',
    events: [],
  };
}

/** After CheckTx (broadcast sync): only code, codespace and log are known. */
export function checkTxResponse(txhash: string, r: { code: number; codespace?: string; log?: string }): TxResponseJson {
  return { ...emptyTxResponse(txhash), code: r.code, codespace: r.codespace ?? '', raw_log: r.log ?? '' };
}

function hexUpper(b: Uint8Array | undefined): string {
  return b ? Buffer.from(b).toString('hex').toUpperCase() : '';
}

/** A committed tx from `/tx` or `/tx_search`, with the block time when known. */
export function indexedTxResponse(t: comet38.TxResponse, timestamp: string): TxResponseJson {
  return {
    height: String(t.height),
    txhash: hexUpper(t.hash),
    codespace: t.result.codespace ?? '',
    code: t.result.code,
    data: hexUpper(t.result.data),
    raw_log: t.result.log ?? '',
    logs: [],
    info: '',
    gas_wanted: t.result.gasWanted.toString(),
    gas_used: t.result.gasUsed.toString(),
    tx: txToJson(t.tx),
    timestamp,
    events: eventsToJson(t.result.events),
  };
}

/** The few lines a person wants after sending; `-o json` prints the full response. */
export function txResponseText(r: TxResponseJson): string {
  const lines = [`txhash: ${r.txhash}`, `code: ${r.code}`];
  if (r.codespace) lines.push(`codespace: ${r.codespace}`);
  if (r.height !== '0') lines.push(`height: ${r.height}`);
  if (r.gas_wanted !== '0' || r.gas_used !== '0') lines.push(`gas: ${r.gas_used} used of ${r.gas_wanted} wanted`);
  if (r.timestamp) lines.push(`timestamp: ${r.timestamp}`);
  lines.push(`raw_log: ${JSON.stringify(r.raw_log)}`);
  return lines.join('\n');
}
