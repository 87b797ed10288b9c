/**
 * Bans with expiry. A ban lasts `baseMs`, doubling for each earlier ban of the same
 * peer still remembered (up to `maxMs`), as fail2ban's `bantime.increment` does. Times
 * are absolute (the adapter's `now` is wall-clock ms) so that `entries()` can be
 * persisted in the node's home and `load` after a restart keeps the remaining time.
 */
import type { PeerId } from '../types.js';

export interface BanConfig {
  readonly baseMs: number;
  readonly maxMs: number;
  /** How long after a ban ends its count still doubles the next one. */
  readonly memoryMs: number;
  readonly maxEntries: number;
}

export const BAN_DEFAULTS: BanConfig = {
  baseMs: 10 * 60_000,
  maxMs: 24 * 3_600_000,
  memoryMs: 24 * 3_600_000,
  maxEntries: 10_000,
};

export interface BanEntry {
  readonly peer: PeerId;
  /** Banned until this time (ms). */
  readonly until: number;
  /** Bans of this peer within memory, this one included. */
  readonly count: number;
}

export class BanList {
  private readonly bans = new Map<PeerId, BanEntry>();

  constructor(private readonly config: BanConfig = BAN_DEFAULTS) {
    if (!(config.baseMs > 0) || config.maxMs < config.baseMs) throw new RangeError('bans: need 0 < baseMs ≤ maxMs');
  }

  ban(peer: PeerId, now: number): BanEntry {
    const prev = this.bans.get(peer);
    const count = prev && now < prev.until + this.config.memoryMs ? prev.count + 1 : 1;
    const ms = Math.min(this.config.maxMs, this.config.baseMs * 2 ** Math.min(count - 1, 30));
    const entry = { peer, until: Math.max(now + ms, prev?.until ?? 0), count };
    this.bans.delete(peer);
    this.bans.set(peer, entry);
    if (this.bans.size > this.config.maxEntries) this.expire(now);
    if (this.bans.size > this.config.maxEntries) this.bans.delete(this.bans.keys().next().value!);
    return entry;
  }

  isBanned(peer: PeerId, now: number): boolean {
    const e = this.bans.get(peer);
    return e !== undefined && now < e.until;
  }

  /** Forgets bans whose memory has run out. */
  expire(now: number): void {
    for (const [peer, e] of this.bans) if (now >= e.until + this.config.memoryMs) this.bans.delete(peer);
  }

  /** For persistence: every remembered ban. */
  entries(): BanEntry[] {
    return [...this.bans.values()];
  }

  /** Restores persisted bans (malformed entries are skipped). */
  load(entries: readonly BanEntry[], now: number): void {
    for (const e of entries) {
      if (typeof e?.peer !== 'string' || !Number.isFinite(e.until) || !Number.isInteger(e.count) || e.count < 1) continue;
      if (now < e.until + this.config.memoryMs) this.bans.set(e.peer, { peer: e.peer, until: e.until, count: e.count });
    }
  }

  get size(): number {
    return this.bans.size;
  }
}
