/**
 * Bring the trie writer in line with the block's write set. Per-tx checkpoints touch only
 * the overlay; the trie sees each key once per block (a fee collector written by every tx
 * costs one trie update), and a second call applies only what changed since the first.
 */
import type { Overlay } from './overlay.js';
import type { PendingEntry } from './merge.js';
import type { TrieWriter } from './trie/writer.js';
import { equalBytes, plain } from './bytes.js';

/** What the writer holds per key since the last commit (value null = absent). */
export type Applied = Map<string, PendingEntry>;

export async function applyWrites(
  writer: TrieWriter,
  overlay: Overlay,
  applied: Applied,
  committedValue: (key: Uint8Array) => Promise<Uint8Array | undefined>,
): Promise<void> {
  const todo: [string, PendingEntry, boolean][] = [];
  const seen = new Set<string>();
  for (const [id, e] of overlay.entriesById()) {
    seen.add(id);
    const a = applied.get(id);
    if (a === undefined || !sameValue(a.value, e.value)) todo.push([id, e, false]);
  }
  // keys applied earlier whose writes were since reverted go back to their committed value
  for (const [id, a] of applied) {
    if (seen.has(id)) continue;
    const v = await committedValue(a.key);
    todo.push([id, { key: a.key, value: v === undefined ? null : plain(v) }, true]);
  }
  await writer.prefetch(todo.map(([, e]) => e.key));
  for (const [id, e, restored] of todo) {
    if (e.value === null) await writer.del(e.key);
    else if (!writer.tryPut(e.key, e.value)) await writer.put(e.key, e.value);
    // a restored key matches the committed trie again, so it is no longer "applied"
    if (restored) applied.delete(id);
    else applied.set(id, e);
  }
}

function sameValue(a: Uint8Array | null, b: Uint8Array | null): boolean {
  return a === b || (a !== null && b !== null && equalBytes(a, b));
}
