/**
 * The simulator's WAL: the same contract as engine/wal.ts (records since the last
 * `start`, `sync` makes everything so far durable) kept in memory. A crash keeps the
 * synced prefix and a random part of the unsynced tail, as a disk would.
 */
import type { EngineEvent } from '../engine/types.js';
import type { Rng } from './rng.js';

export class MemoryWal {
  private records: EngineEvent[] = [];
  private synced = 0;

  append(e: EngineEvent): void {
    if (e.type === 'start') {
      // A new height: earlier records are no longer needed (the height before is committed).
      this.records = [];
      this.synced = 0;
    }
    this.records.push(e);
  }

  sync(): void {
    this.synced = this.records.length;
  }

  crash(rng: Rng): void {
    const keep = this.synced + rng.int(this.records.length - this.synced + 1);
    this.records.length = keep;
    this.synced = keep;
  }

  /** Records to replay: from the last `start`, or none. */
  replay(): EngineEvent[] {
    return this.records[0]?.type === 'start' ? [...this.records] : [];
  }

  get length(): number {
    return this.records.length;
  }
}
