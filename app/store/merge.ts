/** Ordered merge of an in-memory write set over an ordered base stream (cosmos-sdk cachekv's merge iterator). */
import { compareBytes } from './bytes.js';

/** A pending write: `value === null` is a delete that hides the base entry. */
export interface PendingEntry {
  key: Uint8Array;
  value: Uint8Array | null;
}

/**
 * Yield `base` with `pending` applied, in iteration order. `pending` must already be sorted
 * in the same direction and restricted to the same range as `base`.
 */
export async function* mergeOrdered(
  pending: PendingEntry[],
  base: AsyncIterable<[Uint8Array, Uint8Array]>,
  reverse: boolean,
  limit: number,
): AsyncGenerator<[Uint8Array, Uint8Array]> {
  const it = base[Symbol.asyncIterator]();
  let emitted = 0;
  let i = 0;
  try {
    let b = await it.next();
    while (emitted < limit) {
      const p = pending[i];
      if (b.done && p === undefined) return;
      // order < 0: the base entry comes first in iteration order
      const order = b.done ? 1 : p === undefined ? -1 : reverse ? compareBytes(p.key, b.value[0]) : compareBytes(b.value[0], p.key);
      if (order < 0 && !b.done) {
        yield b.value;
        emitted++;
        b = await it.next();
        continue;
      }
      if (order === 0) b = await it.next();
      i++;
      if (p.value !== null) {
        yield [p.key, p.value];
        emitted++;
      }
    }
  } finally {
    await it.return?.();
  }
}
