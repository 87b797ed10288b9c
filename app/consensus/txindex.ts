/**
 * Tx and block-event indexes (CometBFT state/txindex/kv and state/indexer/block/kv
 * semantics): every tx of a block is stored with its result and found by hash; the
 * attributes marked `index: true` of its events are indexed under `type.key`, and
 * searched with the query language of query.ts plus `tx.height` / `tx.hash`
 * (`block.height` for blocks). Results come in (height, index) order.
 *
 * txindex keys:  p ‖ be64(height) ‖ be32(index) → TxResult proto
 *                t ‖ sha256(tx) → be64(height) ‖ be32(index)
 *                g ‖ type.key ‖ 0x00 ‖ value ‖ 0x00 ‖ be64(height) → be32(index)… (ascending)
 *                a ‖ type.key ‖ 0x00 ‖ value ‖ 0x00 ‖ be64(height) ‖ be32(index) → ∅
 * evindex keys:  a ‖ type.key ‖ 0x00 ‖ value ‖ 0x00 ‖ be64(height) → ∅
 *
 * New blocks write `g` entries: one per attribute value per block, listing the txs that
 * carry it. Many values repeat across a block's txs (action, module, fee, fee collector),
 * so a MsgSend block writes about half the entries the per-tx `a` layout did, and index
 * writes were the largest part of the commit batch (bench:exec). Searches read both
 * layouts, so indexes written before the change still answer.
 */
import { createHash } from 'node:crypto';
import type { AbstractSublevel } from 'abstract-level';
import { ExecTxResult, TxResult, type Event } from 'cosmjs-types/tendermint/abci/types';
import type { BatchOp } from '../store/types.js';
import { txHash } from './encoding/hashes.js';
import { be64, concatBytes, fromUtf8, prefixRange, putBe32, readBe32, readBe64, toHexUpper, utf8 } from './keys.js';
import { matchValue, parseQuery, QueryParseError, type Condition } from './query.js';
import type { IndexedTx, TxSearchResult } from './types.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Sublevel = AbstractSublevel<any, any, Uint8Array, Uint8Array>;

const P = utf8('p');
const T = utf8('t');
const A = utf8('a');
const G = utf8('g');
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

const hashes = new WeakMap<Uint8Array, Uint8Array>();

/**
 * sha256 of a tx, computed once per bytes object: the mempool, the index and the block all
 * hash the same Uint8Array (the mempool hands the block the bytes it admitted).
 */
export function txHashOf(tx: Uint8Array): Uint8Array {
  let h = hashes.get(tx);
  if (h === undefined) {
    // node:crypto: the same SHA-256 as txHash, without the JS hashing loop (every CheckTx hashes here)
    const d = createHash('sha256').update(tx).digest();
    h = new Uint8Array(d.buffer, d.byteOffset, d.length);
    hashes.set(tx, h);
  }
  return h;
}

/** Each result's `ExecTxResult` encoding, shared by the tx records and the block's results record. */
export function encodeTxResults(results: readonly ExecTxResult[]): Uint8Array[] {
  return results.map((r) => ExecTxResult.encode(r).finish());
}

/** Protobuf length-delimited field `field` holding `bytes` already encoded: tag, length, bytes. */
export function lengthDelimited(field: number, bytes: Uint8Array): { head: Uint8Array; body: Uint8Array } {
  const head: number[] = [(field << 3) | 2];
  for (let n = bytes.length; ; n = Math.floor(n / 128)) {
    if (n < 128) {
      head.push(n);
      break;
    }
    head.push((n % 128) | 0x80);
  }
  return { head: Uint8Array.from(head), body: bytes };
}

/** `TxResult{height, index, tx, result}` with the result already encoded: the bytes TxResult.encode gives. */
function txResultRecord(height: number, index: number, tx: Uint8Array, result: Uint8Array): Uint8Array {
  // result left out here (TxResult.fromPartial would fill in an empty one) and appended below
  const front = TxResult.encode({ height: BigInt(height), index, tx, result: undefined as unknown as ExecTxResult }).finish();
  const { head } = lengthDelimited(4, result);
  const out = new Uint8Array(front.length + head.length + result.length);
  out.set(front, 0);
  out.set(head, front.length);
  out.set(result, front.length + head.length);
  return out;
}

/** `prefix ‖ type.key ‖ 0x00 ‖ value ‖ 0x00 ‖ be64(height)` in one allocation. */
function groupKey(attrKey: string, value: string, height: number): Uint8Array {
  const k = Buffer.byteLength(attrKey, 'utf8');
  const v = Buffer.byteLength(value, 'utf8');
  const out = Buffer.allocUnsafe(1 + k + 1 + v + 1 + 8);
  out[0] = G[0];
  out.write(attrKey, 1, 'utf8');
  out[1 + k] = 0;
  out.write(value, 2 + k, 'utf8');
  out[2 + k + v] = 0;
  out.writeBigUInt64BE(BigInt(height), 3 + k + v);
  return new Uint8Array(out.buffer, out.byteOffset, out.length);
}

/**
 * Index writes for the txs of one block (all txs, failed ones included, as CometBFT does).
 * `encoded` may carry `encodeTxResults(results)` when the caller needs them too.
 */
export function txIndexOps(
  txindex: Sublevel,
  height: number,
  txs: readonly Uint8Array[],
  results: readonly ExecTxResult[],
  encoded: readonly Uint8Array[] = encodeTxResults(results),
): BatchOp[] {
  if (txs.length !== results.length || encoded.length !== results.length) throw new Error(`block ${height} has ${txs.length} txs but ${results.length} results`);
  const ops: BatchOp[] = [];
  // event type → attribute key → value → the txs of this block that carry it, in index order
  // without repeats. Nested maps rather than one map keyed `type.key\0value`: that key was
  // built and hashed afresh for each of the ~25 attributes of every tx (bench:exec profile).
  const groups = new Map<string, Map<string, Map<string, number[]>>>();
  const heightBytes = be64(height);
  for (let index = 0; index < txs.length; index++) {
    const tx = txs[index];
    const p = new Uint8Array(POS_LEN);
    p.set(heightBytes);
    putBe32(p, 8, index);
    const primary = new Uint8Array(1 + POS_LEN);
    primary[0] = P[0];
    primary.set(p, 1);
    ops.push({ type: 'put', sublevel: txindex, key: primary, value: txResultRecord(height, index, tx, encoded[index]) });
    ops.push({ type: 'put', sublevel: txindex, key: concatBytes(T, txHashOf(tx)), value: p });
    for (const ev of results[index].events) {
      if (!ev.type || ev.type.includes('\0')) continue;
      let byKey = groups.get(ev.type);
      for (const attr of ev.attributes) {
        if (!attr.index || !attr.key || attr.key.includes('\0')) continue;
        if (byKey === undefined) groups.set(ev.type, (byKey = new Map()));
        let byValue = byKey.get(attr.key);
        if (byValue === undefined) byKey.set(attr.key, (byValue = new Map()));
        const list = byValue.get(attr.value);
        if (list === undefined) byValue.set(attr.value, [index]);
        else if (list[list.length - 1] !== index) list.push(index);
      }
    }
  }
  // `type.key` names are what is indexed: two (type, key) pairs can spell the same name
  // ("a.b"+"c", "a"+"b.c"), and then share one entry per value, as they did when grouped by name.
  const byName = new Map<string, Map<string, number[]>>();
  for (const [type, byKey] of groups) {
    for (const [key, byValue] of byKey) {
      const name = `${type}.${key}`;
      const seen = byName.get(name);
      if (seen === undefined) {
        byName.set(name, byValue);
        continue;
      }
      for (const [value, list] of byValue) {
        const other = seen.get(value);
        seen.set(value, other === undefined ? list : [...new Set([...other, ...list])].sort((a, b) => a - b));
      }
    }
  }
  for (const [name, byValue] of byName) {
    for (const [value, list] of byValue) {
      const bytes = new Uint8Array(4 * list.length);
      for (let i = 0; i < list.length; i++) putBe32(bytes, 4 * i, list[i]);
      ops.push({ type: 'put', sublevel: txindex, key: groupKey(name, value, height), value: bytes });
    }
  }
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

const hexUpper = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.length).toString('hex').toUpperCase();

/**
 * Keys under `layout ‖ cond.key ‖ 0x00` whose value satisfies `cond`; `tail` is the fixed
 * number of bytes after the value's 0x00 (the position).
 */
async function* matchingEntries(db: Sublevel, layout: Uint8Array, cond: Condition, tail: number): AsyncGenerator<[Uint8Array, Uint8Array]> {
  const keyPrefix = concatBytes(layout, utf8(cond.key), SEP);
  const exact = cond.op === '=' && cond.operand?.kind === 'string';
  const prefix = exact ? concatBytes(keyPrefix, utf8(String(cond.operand!.value)), SEP) : keyPrefix;
  for await (const [key, value] of db.iterator(prefixRange(prefix))) {
    const valueEnd = key.length - tail - 1;
    if (valueEnd < keyPrefix.length) continue;
    if (exact ? key.length !== prefix.length + tail : !matchValue(cond, fromUtf8(key.subarray(keyPrefix.length, valueEnd)))) continue;
    yield [key, value];
  }
}

/** Positions (hex of the trailing `posLen` key bytes) whose attribute satisfies `cond`. */
async function scanAttribute(db: Sublevel, cond: Condition, posLen: number): Promise<Set<string>> {
  const out = new Set<string>();
  for await (const [key] of matchingEntries(db, A, cond, posLen)) out.add(hexUpper(key.subarray(key.length - posLen)));
  return out;
}

/** Tx positions (hex of be64(height) ‖ be32(index)) whose attribute satisfies `cond`, from both layouts. */
async function scanTxAttribute(txindex: Sublevel, cond: Condition): Promise<Set<string>> {
  const out = await scanAttribute(txindex, cond, POS_LEN);
  for await (const [key, list] of matchingEntries(txindex, G, cond, 8)) {
    const height = hexUpper(key.subarray(key.length - 8));
    for (let o = 0; o + 4 <= list.length; o += 4) out.add(height + readBe32(list, o).toString(16).toUpperCase().padStart(8, '0'));
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
  for (const c of attrConds) sets.push(await scanTxAttribute(txindex, c));
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
