/**
 * The timers of a sans-IO core: a binary min-heap of (deadline, key). Cancelling is
 * lazy (the owner checks on expiry whether the key still matters), which keeps every
 * operation O(log n) and lets a driver hold one timer per core: it only needs `next()`.
 * Ties pop in insertion order, so runs are deterministic.
 */
export class DeadlineQueue<K> {
  private at: number[] = [];
  private seq: number[] = [];
  private keys: K[] = [];
  private counter = 0;

  get size(): number {
    return this.at.length;
  }

  /** The earliest deadline, or undefined when empty. */
  next(): number | undefined {
    return this.at.length === 0 ? undefined : this.at[0];
  }

  push(at: number, key: K): void {
    this.at.push(at);
    this.seq.push(this.counter++);
    this.keys.push(key);
    this.up(this.at.length - 1);
  }

  /** Removes and returns the earliest key whose deadline is ≤ now. */
  popDue(now: number): K | undefined {
    if (this.at.length === 0 || this.at[0] > now) return undefined;
    return this.pop();
  }

  /** Removes and returns the earliest key (the caller reads its deadline with `next()` first). */
  pop(): K | undefined {
    if (this.at.length === 0) return undefined;
    const key = this.keys[0];
    const last = this.at.length - 1;
    this.swap(0, last);
    this.at.pop();
    this.seq.pop();
    this.keys.pop();
    if (last > 0) this.down(0);
    return key;
  }

  private less(i: number, j: number): boolean {
    return this.at[i] < this.at[j] || (this.at[i] === this.at[j] && this.seq[i] < this.seq[j]);
  }

  private swap(i: number, j: number): void {
    [this.at[i], this.at[j]] = [this.at[j], this.at[i]];
    [this.seq[i], this.seq[j]] = [this.seq[j], this.seq[i]];
    [this.keys[i], this.keys[j]] = [this.keys[j], this.keys[i]];
  }

  private up(i: number): void {
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(i, p)) return;
      this.swap(i, p);
      i = p;
    }
  }

  private down(i: number): void {
    const n = this.at.length;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < n && this.less(l, m)) m = l;
      if (r < n && this.less(r, m)) m = r;
      if (m === i) return;
      this.swap(i, m);
      i = m;
    }
  }
}
