/**
 * The one LevelDB batch of a block commit (DESIGN §3): new trie nodes, the flat-index
 * changes, the height records and the caller's own ops (block store), so a crash at any
 * instant leaves either the previous or the new height on disk, never a mix.
 */
import type { BatchOp } from './types.js';
import type { ChainDB } from './db.js';
import type { LoadedNode } from './trie/node.js';
import type { PendingEntry } from './merge.js';
import { commitMetaOps, recordedHeights } from './meta.js';

export interface CommitPlan {
  height: number;
  root: Uint8Array;
  /** Trie nodes first written by this block (hash and encoding set). */
  nodes: LoadedNode[];
  /** The block's net writes; null values are deletes. */
  entries: [string, PendingEntry][];
  /** Lowest kept height before this commit, or undefined on the first commit. */
  earliest: number | undefined;
  keepRecent: number;
  extra: BatchOp[];
}

/** The batch for `plan` and the lowest height still kept after it. */
export async function commitBatch(db: ChainDB, plan: CommitPlan): Promise<{ ops: BatchOp[]; earliest: number }> {
  const ops: BatchOp[] = plan.nodes.map((n) => ({ type: 'put', sublevel: db.trie, key: n.hash!, value: n.enc! }));
  for (const [, e] of plan.entries) {
    ops.push(e.value === null ? { type: 'del', sublevel: db.index, key: e.key } : { type: 'put', sublevel: db.index, key: e.key, value: e.value });
  }
  const first = plan.earliest ?? plan.height;
  // keepRecent prunes height→root records only; trie nodes are not garbage-collected yet
  const earliest = plan.keepRecent > 0 ? Math.max(first, plan.height - plan.keepRecent + 1) : first;
  const dropped = earliest > first ? await recordedHeights(db.meta, first, earliest) : [];
  ops.push(...commitMetaOps(db.meta, plan.height, plan.root, earliest, dropped), ...plan.extra);
  return { ops, earliest };
}
