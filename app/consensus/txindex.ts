/**
 * Tx and block-event indexes (CometBFT state/txindex/kv and state/indexer/block/kv
 * semantics): every tx of a block is stored with its result and found by hash; the
 * attributes marked `index: true` of its events are indexed under `type.key`, and
 * searched with the query language of query.ts plus `tx.height` / `tx.hash`
 * (`block.height` for blocks). Results come in (height, index) order.
 *
 * txindex keys:  p ‖ be64(height) ‖ be32(index) → TxResult proto
 *                t ‖ sha256(tx) → be64(height) ‖ be32(index)
 *                a ‖ type.key ‖ 0x00 ‖ value ‖ 0x00 ‖ be64(height) ‖ be32(index) → ∅
 * evindex keys:  a ‖ type.key ‖ 0x00 ‖ value ‖ 0x00 ‖ be64(height) → ∅
 */
import type { AbstractSublevel } from 'abstract-level';
import { TxResult, type Event, type ExecTxResult } from 'cosmjs-types/tendermint/abci/types';
import type { BatchOp } from '../store/types.js';
import { txHash } from './encoding/hashes.js';
import { be32, be64, concatBytes, fromUtf8, prefixRange, readBe64, toHexUpper, utf8 } from './keys.js';
import { matchValue, parseQuery, QueryParseError, type Condition } from './query.js';
import type { IndexedTx, TxSearchResult } from './types.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Sublevel = AbstractSublevel<any, any, Uint8Array, Uint8Array>;

const P = utf8('p');
const T = utf8('t');
const A = utf8('a');
const SEP = new Uint8Array([0]);
const EMPTY = new Uint8Array(0);
const POS_LEN = 12;

/** `type.key → [values]` of the indexed attributes (the keys tx_search and subscribe match on). */
export function indexedAttributes(events: readonly Event[]): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const ev of events) {
    if (!ev.type || ev.type.includes('\0')) continue;
    for (const attr of ev.attributes) {
      if (!attr.index || !attr.key || attr.key.includes('\0')) continue;
      out.push([`${ev.type}.${attr.key}`, attr.value]);
    }
  }
  return out;
}

const pos = (height: number, index: number) => concatBytes(be64(height), be32(index));

/** Index writes for the txs of one block (all txs, failed ones included, as CometBFT does). */
export function txIndexOps(txindex: Sublevel, height: number, txs: readonly Uint8Array[], results: readonly ExecTxResult[]): BatchOp[] {
  if (txs.length !== results.length) throw new Error(`block ${height} has ${txs.length} txs but ${results.length} results`);
  const ops: BatchOp[] = [];
  txs.forEach((tx, index) => {
    const p = pos(height, index);
    const record = TxResult.encode({ height: BigInt(height), index, tx, result: results[index] }).finish();
    ops.push({ type: 'put', sublevel: txindex, key: concatBytes(P, p), value: record });
    ops.push({ type: 'put', sublevel: txindex, key: concatBytes(T, txHash(tx)), value: p });
    for (const [key, value] of indexedAttributes(results[index].events)) {
      ops.push({ type: 'put', sublevel: txindex, key: concatBytes(A, utf8(key), SEP, utf8(value), SEP, p), value: EMPTY });
    }
  });
  return ops;
}

/** Index writes for a block's FinalizeBlock events. */
export function blockEventOps(evindex: Sublevel, height: number, events: readonly Event[]): BatchOp[] {
  return indexedAttributes(events).map(([key, value]) => ({
    type: 'put' as const,
    sublevel: evindex,
    key: concatBytes(A, utf8(key), SEP, utf8(value), SEP, be64(height)),
    value: EMPTY,
  }));
}

function decodeIndexed(bytes: Uint8Array): IndexedTx {
  const r = TxResult.decode(bytes);
  return { hash: txHash(r.tx), height: Number(r.height), index: r.index, tx: r.tx, result: r.result };
}

export async function loadTxByHash(txindex: Sublevel, hash: Uint8Array): Promise<IndexedTx | undefined> {
  const p = await txindex.get(concatBytes(T, hash));
  if (!p) return undefined;
  const rec = await txindex.get(concatBytes(P, p));
  return rec ? decodeIndexed(rec) : undefined;
}

/** Inclusive height bounds from `<key> op N` conditions; throws on non-integer operands. */
function heightBounds(conds: readonly Condition[], lo: number, hi: number): [number, number] {
  for (const c of conds) {
    if (c.op === 'EXISTS') continue;
    if (c.operand?.kind !== 'number' || !/^-?\d+$/.test(c.operand.value)) {
      throw new QueryParseError(`${c.key} needs an integer operand, e.g. ${c.key} >= 5`);
    }
    const n = Number(c.operand.value);
    switch (c.op) {
      case '=':
        lo = Math.max(lo, n);
        hi = Math.min(hi, n);
        break;
      case '<':
        hi = Math.min(hi, n - 1);
        break;
      case '<=':
        hi = Math.min(hi, n);
        break;
      case '>':
        lo = Math.max(lo, n + 1);
        break;
      case '>=':
        lo = Math.max(lo, n);
        break;
      default:
        throw new QueryParseError(`${c.key} does not support ${c.op}`);
    }
  }
  return [lo, hi];
}

/** Positions (hex of the trailing `posLen` key bytes) whose attribute satisfies `cond`. */
async function scanAttribute(db: Sublevel, cond: Condition, posLen: number): Promise<Set<string>> {
  const out = new Set<string>();
  const keyPrefix = concatBytes(A, utf8(cond.key), SEP);
  const exact = cond.op === '=' && cond.operand?.kind === 'string';
  const prefix = exact ? concatBytes(keyPrefix, utf8(String(cond.operand!.value)), SEP) : keyPrefix;
  for await (const key of db.keys(prefixRange(prefix))) {
    const valueEnd = key.length - posLen - 1;
    if (valueEnd < keyPrefix.length) continue;
    if (!exact && !matchValue(cond, fromUtf8(key.subarray(keyPrefix.length, valueEnd)))) continue;
    out.add(toHexUpper(key.subarray(key.length - posLen)));
  }
  return out;
}

function intersect(sets: Set<string>[]): Set<string> {
  sets.sort((a, b) => a.size - b.size);
  const [first, ...rest] = sets;
  return new Set([...first].filter((x) => rest.every((s) => s.has(x))));
}

function paginate<T>(sorted: T[], page: number, perPage: number, order: 'asc' | 'desc'): T[] {
  const list = order === 'desc' ? [...sorted].reverse() : sorted;
  const p = Math.max(1, Math.floor(page));
  const n = Math.max(1, Math.floor(perPage));
  return list.slice((p - 1) * n, p * n);
}

const hexToBytes = (h: string) => Uint8Array.from(h.match(/../g) ?? [], (x) => parseInt(x, 16));

/** tx_search over the tx index. Throws QueryParseError for a malformed or unsupported query. */
export async function searchTxs(txindex: Sublevel, query: string, page: number, perPage: number, order: 'asc' | 'desc'): Promise<TxSearchResult> {
  const conds = parseQuery(query);
  const heightConds = conds.filter((c) => c.key === 'tx.height');
  const hashConds = conds.filter((c) => c.key === 'tx.hash');
  const attrConds = conds.filter((c) => c.key !== 'tx.height' && c.key !== 'tx.hash');
  const [lo, hi] = heightBounds(heightConds, 0, Number.MAX_SAFE_INTEGER);
  if (lo > hi) return { txs: [], total: 0 };

  const sets: Set<string>[] = [];
  for (const c of hashConds) {
    if (c.op !== '=' || c.operand?.kind !== 'string' || !/^[0-9a-fA-F]{64}$/.test(c.operand.value)) {
      throw new QueryParseError("tx.hash supports only = with a 64-digit hex string, e.g. tx.hash='AB…'");
    }
    const p = await txindex.get(concatBytes(T, hexToBytes(c.operand.value)));
    sets.push(new Set(p ? [toHexUpper(p)] : []));
  }
  for (const c of attrConds) sets.push(await scanAttribute(txindex, c, POS_LEN));
  if (sets.length === 0) {
    // Only height conditions (or none): walk the primary records' keys in range.
    const all = new Set<string>();
    const range = { gte: concatBytes(P, be64(lo)), lt: concatBytes(P, be64(Math.min(hi, Number.MAX_SAFE_INTEGER - 1) + 1)) };
    for await (const key of txindex.keys(range)) all.add(toHexUpper(key.subarray(1)));
    sets.push(all);
  }
  const matched = [...intersect(sets)]
    .filter((h) => {
      const height = readBe64(hexToBytes(h));
      return height >= lo && height <= hi;
    })
    .sort();
  const txs: IndexedTx[] = [];
  for (const h of paginate(matched, page, perPage, order)) {
    const rec = await txindex.get(concatBytes(P, hexToBytes(h)));
    if (rec) txs.push(decodeIndexed(rec));
  }
  return { txs, total: matched.length };
}

/** block_search over the block-event index, within the stored heights [base, height]. */
export async function searchBlocks(
  evindex: Sublevel,
  stored: { base: number; height: number },
  query: string,
  page: number,
  perPage: number,
  order: 'asc' | 'desc',
): Promise<{ heights: number[]; total: number }> {
  const conds = parseQuery(query);
  const heightConds = conds.filter((c) => c.key === 'block.height');
  const attrConds = conds.filter((c) => c.key !== 'block.height');
  if (stored.height === 0) return { heights: [], total: 0 };
  const [lo, hi] = heightBounds(heightConds, stored.base, stored.height);
  if (lo > hi) return { heights: [], total: 0 };
  if (attrConds.length === 0) {
    const total = hi - lo + 1;
    const n = Math.max(1, Math.floor(perPage));
    const start = (Math.max(1, Math.floor(page)) - 1) * n;
    const heights: number[] = [];
    for (let k = start; k < Math.min(total, start + n); k++) heights.push(order === 'asc' ? lo + k : hi - k);
    return { heights, total };
  }
  const sets: Set<string>[] = [];
  for (const c of attrConds) sets.push(await scanAttribute(evindex, c, 8));
  const matched = [...intersect(sets)]
    .map((h) => readBe64(hexToBytes(h)))
    .filter((h) => h >= lo && h <= hi)
    .sort((a, b) => a - b);
  return { heights: paginate(matched, page, perPage, order), total: matched.length };
}
