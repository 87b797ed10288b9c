/**
 * Store bookkeeping in the `meta` sublevel:
 *   'latest'            → u64be height ‖ root (absent before the first commit)
 *   'earliest'          → u64be lowest height whose root is kept
 *   'h' ‖ u64be height  → root at that height
 */
import type { BatchOp } from './types.js';
import type { Sublevel } from './db.js';
import { concatBytes, decodeHeight, encodeHeight, plain } from './bytes.js';

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
const LATEST = utf8('latest');
const EARLIEST = utf8('earliest');
const ROOT = utf8('h');

export interface StoreMeta {
  /** False until the first commit. */
  committed: boolean;
  height: number;
  root: Uint8Array;
  earliest: number;
}

export async function loadMeta(meta: Sublevel, emptyRoot: Uint8Array): Promise<StoreMeta> {
  const latest = await meta.get(LATEST);
  if (latest === undefined) return { committed: false, height: 0, root: emptyRoot, earliest: 0 };
  const earliest = await meta.get(EARLIEST);
  return {
    committed: true,
    height: decodeHeight(latest),
    root: plain(latest).slice(8),
    earliest: earliest === undefined ? 0 : decodeHeight(earliest),
  };
}

export async function rootAt(meta: Sublevel, height: number): Promise<Uint8Array | undefined> {
  const r = await meta.get(rootKey(height));
  return r === undefined ? undefined : plain(r);
}

/** Heights in [from, to) that still have a root record (heights may have gaps). */
export async function recordedHeights(meta: Sublevel, from: number, to: number): Promise<number[]> {
  const out: number[] = [];
  for await (const k of meta.keys({ gte: rootKey(from), lt: rootKey(to) })) out.push(decodeHeight(k, ROOT.length));
  return out;
}

/** The meta writes of a commit: new latest/earliest, the new root, dropped roots. */
export function commitMetaOps(meta: Sublevel, height: number, root: Uint8Array, earliest: number, dropped: number[]): BatchOp[] {
  const ops: BatchOp[] = [
    { type: 'put', sublevel: meta, key: LATEST, value: concatBytes(encodeHeight(height), root) },
    { type: 'put', sublevel: meta, key: EARLIEST, value: encodeHeight(earliest) },
    { type: 'put', sublevel: meta, key: rootKey(height), value: root },
  ];
  for (const h of dropped) ops.push({ type: 'del', sublevel: meta, key: rootKey(h) });
  return ops;
}

function rootKey(height: number): Uint8Array {
  return concatBytes(ROOT, encodeHeight(height));
}
