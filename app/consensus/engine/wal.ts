/**
 * The consensus write-ahead log (DESIGN §6). Every event is appended before the engine
 * handles it; `sync()` (fdatasync) runs before the host signs anything and after it
 * appends our own signed vote or proposal, so no vote leaves the node before it is
 * durable. On restart the events since the last `start` are replayed into a fresh
 * engine, which then knows its locks and its own votes again.
 *
 * File format: records of `crc32c(payload) u32 BE ‖ length u32 BE ‖ payload`, the
 * framing of CometBFT's consensus WAL (consensus/wal.go); the payload is walcodec.ts.
 * A torn write (crash mid-append) or a damaged tail is cut at the last good record when
 * the WAL is opened: unsynced records may be lost by design, synced ones never are
 * unless the disk corrupts them, and then everything from the damage on is dropped
 * (a record boundary after a bad record cannot be trusted).
 *
 * The file holds the current height only: when a `start` record arrives and the file
 * has grown past `maxBytes`, it is atomically replaced by one holding just that record.
 */
import { constants } from 'node:fs';
import { open, readFile, rename, stat, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { crc32c } from './crc32c.js';
import type { EngineEvent } from './types.js';
import { decodeEvent, encodeEvent } from './walcodec.js';

const HEADER = 8;
/** Larger than any event: the largest block plus its envelope, base64-inflated. */
export const MAX_RECORD_BYTES = 256 * 1024 * 1024;
export const DEFAULT_WAL_MAX_BYTES = 16 * 1024 * 1024;

export class WalError extends Error {
  override readonly name = 'WalError';
}

export function encodeRecord(payload: Uint8Array): Uint8Array {
  if (payload.length > MAX_RECORD_BYTES) throw new WalError(`WAL record of ${payload.length} bytes exceeds ${MAX_RECORD_BYTES}`);
  const out = new Uint8Array(HEADER + payload.length);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, crc32c(payload));
  dv.setUint32(4, payload.length);
  out.set(payload, HEADER);
  return out;
}

/** The payloads of every intact record from the start of `buf`, and where the intact prefix ends. */
export function decodeRecords(buf: Uint8Array): { payloads: Uint8Array[]; goodLength: number } {
  const payloads: Uint8Array[] = [];
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  let off = 0;
  while (off + HEADER <= buf.length) {
    const crc = dv.getUint32(off);
    const len = dv.getUint32(off + 4);
    if (len > MAX_RECORD_BYTES || off + HEADER + len > buf.length) break;
    const payload = buf.subarray(off + HEADER, off + HEADER + len);
    if (crc32c(payload) !== crc) break;
    payloads.push(payload);
    off += HEADER + len;
  }
  return { payloads, goodLength: off };
}

/** The events to replay: from the last `start` on (none if there is no `start`). */
export function eventsToReplay(events: readonly EngineEvent[]): EngineEvent[] {
  for (let i = events.length - 1; i >= 0; i--) if (events[i].type === 'start') return events.slice(i);
  return [];
}

export interface WalOpenResult {
  wal: FileWal;
  /** Events since the last `start`, oldest first. */
  replay: EngineEvent[];
  /** Bytes cut from a torn or damaged tail (0 when the file was intact). */
  droppedBytes: number;
}

async function fsyncDir(path: string): Promise<void> {
  const dir = await open(dirname(path), 'r');
  try {
    await dir.sync();
  } finally {
    await dir.close();
  }
}

export class FileWal {
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly path: string,
    private fh: FileHandle,
    private size: number,
    private readonly maxBytes: number,
  ) {}

  /** Open (or create) the WAL at `path`, cut a damaged tail, and read what to replay. */
  static async open(path: string, opts: { maxBytes?: number } = {}): Promise<WalOpenResult> {
    let buf: Uint8Array = new Uint8Array(0);
    try {
      buf = await readFile(path);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    const { payloads, goodLength } = decodeRecords(buf);
    const events: EngineEvent[] = [];
    for (const p of payloads) {
      try {
        events.push(decodeEvent(p));
      } catch (e) {
        throw new WalError(`WAL ${path}: a record with a valid checksum does not decode (${(e as Error).message}): written by another version?`);
      }
    }
    const fh = await open(path, constants.O_CREAT | constants.O_RDWR, 0o600);
    if (goodLength < buf.length) {
      await fh.truncate(goodLength);
      await fh.sync();
    }
    if (buf.length === 0) await fsyncDir(path);
    const wal = new FileWal(path, fh, goodLength, opts.maxBytes ?? DEFAULT_WAL_MAX_BYTES);
    return { wal, replay: eventsToReplay(events), droppedBytes: buf.length - goodLength };
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Append one event (not yet durable: call `sync`). A `start` past `maxBytes` compacts the file first. */
  append(event: EngineEvent): Promise<void> {
    return this.serial(async () => {
      const rec = encodeRecord(encodeEvent(event));
      if (event.type === 'start' && this.size > this.maxBytes) return this.replaceWith(rec);
      await this.fh.write(rec, 0, rec.length, this.size);
      this.size += rec.length;
    });
  }

  /** Make everything appended so far durable. */
  sync(): Promise<void> {
    return this.serial(() => this.fh.datasync());
  }

  close(): Promise<void> {
    return this.serial(() => this.fh.close());
  }

  /** Write `rec` alone to a temp file, fsync, rename over the WAL, fsync the directory. */
  private async replaceWith(rec: Uint8Array): Promise<void> {
    const tmp = `${this.path}.compact`;
    const out = await open(tmp, constants.O_CREAT | constants.O_TRUNC | constants.O_WRONLY, 0o600);
    try {
      await out.write(rec, 0, rec.length, 0);
      await out.sync();
    } finally {
      await out.close();
    }
    await this.fh.close();
    await rename(tmp, this.path);
    await fsyncDir(this.path);
    this.fh = await open(this.path, constants.O_RDWR);
    this.size = (await stat(this.path)).size;
  }
}
