/**
 * The de-duplication cache (the paper's `ReceivedMsgs`), bounded three ways: at most
 * `maxMessages` ids (least recently seen dropped first), ids unseen for `maxAgeMs`
 * forgotten, and payloads (kept to answer GRAFTs) dropped after `payloadAgeMs` or,
 * oldest first, when they would exceed `maxBytes`. An id outlives its payload, so a
 * late duplicate is still recognised after the bytes are gone.
 */
import type { MessageCacheConfig } from './config.js';
import type { MessageId } from './message-id.js';

export type CacheStatus =
  /** Validated and delivered (or broadcast here). */
  | 'valid'
  /** Rejected by the validator: never forwarded, copies cost the sender. */
  | 'invalid'
  /** Dropped without blame. */
  | 'ignored'
  /** Waiting for an asynchronous validation. */
  | 'pending';

export interface CacheEntry {
  status: CacheStatus;
  /** Round at which this node got the message. */
  round: number;
  payload: Uint8Array | undefined;
  /** First copy came straight from a priority peer: the next tree copy is not a duplicate to prune. */
  firstDirect: boolean;
  /** When the payload was stored. */
  storedAt: number;
  /** Last time the id was seen (LRU position). */
  seenAt: number;
}

export class MessageCache {
  private readonly map = new Map<MessageId, CacheEntry>();
  /** Payload insertions, oldest first: [id, storedAt]; stale rows are skipped. */
  private payloadIds: MessageId[] = [];
  private payloadAt: number[] = [];
  private head = 0;
  private byteCount = 0;

  constructor(private readonly config: MessageCacheConfig) {}

  get size(): number {
    return this.map.size;
  }
  /** Payload bytes held. */
  get bytes(): number {
    return this.byteCount;
  }

  get(id: MessageId): CacheEntry | undefined {
    return this.map.get(id);
  }

  has(id: MessageId): boolean {
    return this.map.has(id);
  }

  /** Marks `id` as just seen (moves it to the recent end). */
  touch(id: MessageId, now: number): void {
    const e = this.map.get(id);
    if (!e) return;
    this.map.delete(id);
    e.seenAt = now;
    this.map.set(id, e);
  }

  put(id: MessageId, fields: Pick<CacheEntry, 'status' | 'round'> & Partial<Pick<CacheEntry, 'payload' | 'firstDirect'>>, now: number): CacheEntry {
    this.delete(id);
    const { payload } = fields;
    const keep = payload !== undefined && this.config.payloadAgeMs > 0 && payload.length <= this.config.maxBytes ? payload : undefined;
    const e: CacheEntry = { status: fields.status, round: fields.round, payload: keep, firstDirect: fields.firstDirect ?? false, storedAt: now, seenAt: now };
    this.map.set(id, e);
    if (keep) {
      this.byteCount += keep.length;
      this.payloadIds.push(id);
      this.payloadAt.push(now);
    }
    while (this.map.size > this.config.maxMessages) this.delete(this.map.keys().next().value!);
    while (this.byteCount > this.config.maxBytes) this.dropOldestPayload();
    return e;
  }

  /** Applies the age bounds as of `now`. */
  expire(now: number): void {
    for (const [id, e] of this.map) {
      if (now - e.seenAt <= this.config.maxAgeMs) break; // map is in seenAt order
      this.delete(id);
    }
    while (this.head < this.payloadIds.length && now - this.payloadAt[this.head] > this.config.payloadAgeMs) this.dropOldestPayload();
    this.compact();
  }

  /** Recently stored valid messages, newest first, for a new neighbour's catch-up. */
  recent(now: number, windowMs: number, max: number): { id: MessageId; round: number }[] {
    const out: { id: MessageId; round: number }[] = [];
    for (let i = this.payloadIds.length - 1; i >= this.head && out.length < max; i--) {
      if (now - this.payloadAt[i] > windowMs) break;
      const e = this.map.get(this.payloadIds[i]);
      if (e && e.payload && e.status === 'valid' && e.storedAt === this.payloadAt[i]) out.push({ id: this.payloadIds[i], round: e.round });
    }
    return out;
  }

  private delete(id: MessageId): void {
    const e = this.map.get(id);
    if (!e) return;
    if (e.payload) this.byteCount -= e.payload.length;
    this.map.delete(id);
  }

  private dropOldestPayload(): void {
    if (this.head >= this.payloadIds.length) return;
    const id = this.payloadIds[this.head];
    const at = this.payloadAt[this.head];
    this.head++;
    const e = this.map.get(id);
    if (e && e.payload && e.storedAt === at) {
      this.byteCount -= e.payload.length;
      e.payload = undefined;
    }
  }

  private compact(): void {
    if (this.head > 1024 && this.head * 2 > this.payloadIds.length) {
      this.payloadIds = this.payloadIds.slice(this.head);
      this.payloadAt = this.payloadAt.slice(this.head);
      this.head = 0;
    }
  }
}
