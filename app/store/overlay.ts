/**
 * Uncommitted writes as a stack of layers (one per open checkpoint) with an ordered key
 * index for merged iteration. Reads look from the top layer down; `undefined` means "not
 * written here, ask the base", `null` a delete.
 */
import { keyId } from './bytes.js';
import type { PendingEntry } from './merge.js';
import type { KeyRange } from './range.js';

export class Overlay {
  private layers: Map<string, PendingEntry>[] = [new Map()];
  /** `keyId` of every key written since clear(), sorted; may hold keys whose writes were reverted. */
  private sorted: string[] = [];
  private known = new Set<string>();
  /** Keys written since `sorted` was last rebuilt; merged in lazily by range(). */
  private fresh: string[] = [];

  get depth(): number {
    return this.layers.length;
  }

  /** Number of keys written in the bottom layer (the net block write set when depth is 1). */
  get size(): number {
    return this.layers[0].size;
  }

  lookup(key: Uint8Array): PendingEntry | undefined {
    return this.lookupId(keyId(key));
  }

  lookupId(id: string): PendingEntry | undefined {
    for (let i = this.layers.length - 1; i >= 0; i--) {
      const e = this.layers[i].get(id);
      if (e !== undefined) return e;
    }
    return undefined;
  }

  /** Record a put (value) or delete (null). Copies key and value so callers may reuse buffers. */
  write(key: Uint8Array, value: Uint8Array | null): void {
    const id = keyId(key);
    this.layers[this.layers.length - 1].set(id, { key: key.slice(), value: value === null ? null : value.slice() });
    if (!this.known.has(id)) {
      this.known.add(id);
      this.fresh.push(id);
    }
  }

  checkpoint(): void {
    this.layers.push(new Map());
  }

  /** Fold the top layer into the one below. */
  commitCheckpoint(): void {
    const top = this.layers.pop()!;
    const below = this.layers[this.layers.length - 1];
    for (const [id, e] of top) below.set(id, e);
  }

  revertCheckpoint(): void {
    this.layers.pop();
  }

  clear(): void {
    this.layers = [new Map()];
    this.sorted = [];
    this.known.clear();
    this.fresh = [];
  }

  /** Current writes in `r`, in iteration order (a snapshot: later writes are not seen). */
  range(r: KeyRange): PendingEntry[] {
    this.index();
    const lo = lowerBound(this.sorted, keyId(r.lo));
    const hi = r.hi === undefined ? this.sorted.length : lowerBound(this.sorted, keyId(r.hi));
    const out: PendingEntry[] = [];
    for (let i = lo; i < hi; i++) {
      const e = this.lookupId(this.sorted[i]);
      if (e !== undefined) out.push(e);
    }
    if (r.reverse) out.reverse();
    return out;
  }

  /** Every key's current write, flattened over all layers, in key order. */
  entries(): PendingEntry[] {
    return this.entriesById().map(([, e]) => e);
  }

  /** Like entries(), with each key's `keyId`. */
  entriesById(): [string, PendingEntry][] {
    this.index();
    const out: [string, PendingEntry][] = [];
    for (const id of this.sorted) {
      const e = this.lookupId(id);
      if (e !== undefined) out.push([id, e]);
    }
    return out;
  }

  /** Merge `fresh` into `sorted`: O(n + m log m) per call, so interleaved writes and scans stay cheap. */
  private index(): void {
    if (this.fresh.length === 0) return;
    const add = this.fresh.sort();
    this.fresh = [];
    if (this.sorted.length === 0) {
      this.sorted = add;
      return;
    }
    const merged: string[] = new Array(this.sorted.length + add.length);
    let i = 0;
    let j = 0;
    let k = 0;
    while (i < this.sorted.length && j < add.length) merged[k++] = this.sorted[i] < add[j] ? this.sorted[i++] : add[j++];
    while (i < this.sorted.length) merged[k++] = this.sorted[i++];
    while (j < add.length) merged[k++] = add[j++];
    this.sorted = merged;
  }
}

function lowerBound(sorted: string[], target: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
