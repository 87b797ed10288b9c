/**
 * Tx and block-event indexes (CometBFT state/txindex/kv and state/indexer/block/kv
 * semantics): every tx of a block is stored with its result and found by hash; the
 * attributes marked `index: true` of its events are indexed under `type.key`, and
 * searched with the query language of query.ts plus `tx.height` / `tx.hash`
 * (`block.height` for blocks). Results come in (height, index) order.
 *
 * txindex keys:  t ‖ sha256(tx) → be64(height) ‖ be32(index)
 *                p ‖ be64(height) ‖ be32(index) → TxResult proto (written by earlier versions only)
 *                g ‖ type.key ‖ 0x00 ‖ value ‖ 0x00 ‖ be64(height) → be32(index)… (ascending)
 *                a ‖ type.key ‖ 0x00 ‖ value ‖ 0x00 ‖ be64(height) ‖ be32(index) → ∅
 * evindex keys:  a ‖ type.key ‖ 0x00 ‖ value ‖ 0x00 ‖ be64(height) → ∅
 *
 * New blocks write `g` entries: one per attribute value per block, listing the txs that
 * carry it. Many values repeat across a block's txs (action, module, fee, fee collector),
 * so a MsgSend block writes about half the entries the per-tx `a` layout did, and index
 * writes were the largest part of the commit batch (bench:exec). Searches read both
 * layouts, so indexes written before the change still answer.
 *
 * A tx and its result are read from the block and the block's results record, where they
 * already are (`TxSource`), rather than from a per-tx `p` copy: that copy was 30% of the
 * bytes of every commit batch (2.7 of 9 MB for a block of 2,000 sends, bench:exec).
 * `p` records left by earlier versions are still read first.
 */
import { hash as cryptoHash } from 'node:crypto';
import type { AbstractSublevel } from 'abstract-level';
import protobuf from 'protobufjs/minimal.js';
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
    // node:crypto one-shot: the same SHA-256 as txHash, without the JS hashing loop (every CheckTx hashes here)
    const d = cryptoHash('sha256', tx, 'buffer');
    h = new Uint8Array(d.buffer, d.byteOffset, d.length);
    hashes.set(tx, h);
  }
  return h;
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

/** Index writes for the txs of one block (all txs, failed ones included, as CometBFT does). */
export function txIndexOps(txindex: Sublevel, height: number, txs: readonly Uint8Array[], results: readonly ExecTxResult[]): BatchOp[] {
  if (txs.length !== results.length) throw new Error(`block ${height} has ${txs.length} txs but ${results.length} results`);
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

/** Where indexed txs are read from: the block store's blocks and results records. */
export interface TxSource {
  /** The txs of block `height` and their results, or undefined if the block is not stored; recent blocks are kept parsed. */
  loadBlockTxs(height: number): Promise<BlockTxs | undefined>;
  /** `[height, number of txs]` of the stored blocks in [lo, hi], ascending. */
  txCounts(lo: number, hi: number): AsyncIterable<[number, number]>;
}

/** The i-th tx of a stored block and its result, read out of the stored protobuf bytes. */
export interface BlockTxs {
  readonly count: number;
  tx(index: number): Uint8Array;
  result(index: number): ExecTxResult;
}

/** Each occurrence of length-delimited `field` in the message `bytes` (stored by this node, so trusted). */
function repeatedField(bytes: Uint8Array, field: number): Uint8Array[] {
  const r = protobuf.Reader.create(bytes);
  const out: Uint8Array[] = [];
  while (r.pos < r.len) {
    const tag = r.uint32();
    if (tag >>> 3 === field && (tag & 7) === 2) out.push(r.bytes());
    else r.skipType(tag & 7);
  }
  return out;
}

/**
 * The txs of a stored block (`Block` bytes: data = field 2, its txs = field 1) and their
 * results (`ResponseFinalizeBlock` bytes: tx_results = field 2), without decoding the rest.
 */
export function blockTxs(height: number, blockBytes: Uint8Array, resultsBytes: Uint8Array): BlockTxs {
  const [data] = repeatedField(blockBytes, 2);
  const txs = data === undefined ? [] : repeatedField(data, 1);
  const results = repeatedField(resultsBytes, 2);
  if (txs.length !== results.length) throw new Error(`stored block ${height} has ${txs.length} txs but ${results.length} results`);
  return { count: txs.length, tx: (i) => txs[i], result: (i) => ExecTxResult.decode(results[i]) };
}

/**
 * The indexed tx at `pos` (be64(height) ‖ be32(index)), from a `p` record of an earlier
 * version if there is one, else out of its block (the source keeps recent blocks parsed, so
 * a search page with several txs of one block reads it once).
 */
async function loadIndexedTx(txindex: Sublevel, source: TxSource, pos: Uint8Array): Promise<IndexedTx | undefined> {
  const legacy = await txindex.get(concatBytes(P, pos));
  if (legacy) {
    const r = TxResult.decode(legacy);
    return { hash: txHash(r.tx), height: Number(r.height), index: r.index, tx: r.tx, result: r.result };
  }
  const height = readBe64(pos);
  const index = readBe32(pos, 8);
  const txs = await source.loadBlockTxs(height);
  if (txs === undefined || index >= txs.count) return undefined;
  const tx = txs.tx(index);
  return { hash: txHashOf(tx), height, index, tx, result: txs.result(index) };
}

export async function loadTxByHash(txindex: Sublevel, source: TxSource, hash: Uint8Array): Promise<IndexedTx | undefined> {
  const p = await txindex.get(concatBytes(T, hash));
  return p ? loadIndexedTx(txindex, source, p) : undefined;
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
export async function searchTxs(txindex: Sublevel, source: TxSource, query: string, page: number, perPage: number, order: 'asc' | 'desc'): Promise<TxSearchResult> {
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
    // Only height conditions (or none): every tx of the stored blocks in range.
    const all = new Set<string>();
    for await (const [height, count] of source.txCounts(lo, hi)) {
      const h = toHexUpper(be64(height));
      for (let i = 0; i < count; i++) all.add(h + i.toString(16).toUpperCase().padStart(8, '0'));
    }
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
    const tx = await loadIndexedTx(txindex, source, hexToBytes(h));
    if (tx) txs.push(tx);
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
