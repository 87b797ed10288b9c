import fc from 'fast-check';
import { mkdtemp, readFile, rm, stat, writeFile, appendFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { crc32c } from '../../../app/consensus/engine/crc32c.js';
import { createEngine } from '../../../app/consensus/engine/engine.js';
import type { EngineEvent } from '../../../app/consensus/engine/types.js';
import { decodeRecords, encodeRecord, eventsToReplay, FileWal } from '../../../app/consensus/engine/wal.js';
import { decodeEvent, encodeEvent } from '../../../app/consensus/engine/walcodec.js';
import { block, CHAIN, Driver, makeValidators, proposal, proposerOf, T0, verify, vote } from './harness.js';

const { set, vals } = makeValidators([10, 10, 10, 10]);
const p0 = proposerOf(set, vals, 0);
const me = vals.find((v) => v !== p0)!;

/** A real event log: one height decided, every kind of event in it. */
function realLog(): EngineEvent[] {
  const d = new Driver(me, set);
  const B = block('wal block');
  d.start();
  d.propose(proposal(p0, 1n, 0, B.blockId), B.bytes);
  for (const v of vals.filter((x) => x !== me)) d.vote(vote(v, 'prevote', 1n, 0, B.blockId));
  for (const v of vals.filter((x) => x !== me)) d.vote(vote(v, 'precommit', 1n, 0, B.blockId));
  d.timeout('commit', 0);
  return d.log;
}

const concat = (parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
};

describe('records', () => {
  it('uses CRC-32C (check value of "123456789" is 0xE3069283)', () => {
    expect(crc32c(new TextEncoder().encode('123456789'))).toBe(0xe3069283);
  });

  it('every engine event round-trips through the codec, bigints and bytes included', () => {
    for (const e of realLog()) expect(decodeEvent(encodeEvent(e))).toEqual(e);
  });

  it('a log cut anywhere yields exactly the records that were whole', () => {
    const payloads = realLog().map(encodeEvent);
    const recs = payloads.map(encodeRecord);
    const file = concat(recs);
    const ends = recs.reduce<number[]>((acc, r) => [...acc, (acc.at(-1) ?? 0) + r.length], []);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: file.length }), (cut) => {
        const { payloads: got, goodLength } = decodeRecords(file.subarray(0, cut));
        const whole = ends.filter((e) => e <= cut).length;
        expect(got.length).toBe(whole);
        expect(goodLength).toBe(whole === 0 ? 0 : ends[whole - 1]);
        got.forEach((p, i) => expect(p).toEqual(payloads[i]));
      }),
    );
  });

  it('a corrupted byte drops that record and everything after it', () => {
    const recs = realLog().map((e) => encodeRecord(encodeEvent(e)));
    const file = concat(recs);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: file.length - 1 }), fc.integer({ min: 1, max: 255 }), (pos, flip) => {
        const bad = file.slice();
        bad[pos] ^= flip;
        let start = 0;
        let hit = 0;
        while (start + recs[hit].length <= pos) start += recs[hit++].length;
        const { payloads } = decodeRecords(bad);
        // Whether the flip hits a checksum, a length or a payload byte, no damaged record gets through.
        expect(payloads.length).toBe(hit);
      }),
      { numRuns: 200 },
    );
  });

  it('replays from the last start', () => {
    const log = realLog();
    const two: EngineEvent = { type: 'start', now: T0 + 9, height: 2n, validators: set };
    expect(eventsToReplay([...log, two, log[1]])).toEqual([two, log[1]]);
    expect(eventsToReplay(log.slice(1))).toEqual([]);
  });
});

describe('FileWal', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'guts-wal-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('replays what was appended, and a fresh engine fed the replay is in the same state', async () => {
    const path = join(dir, 'cs.wal');
    const log = realLog().slice(0, 9);
    const { wal, replay, droppedBytes } = await FileWal.open(path);
    expect(replay).toEqual([]);
    expect(droppedBytes).toBe(0);
    for (const e of log) await wal.append(e);
    await wal.sync();
    await wal.close();
    const again = await FileWal.open(path);
    expect(again.replay).toEqual(log);
    await again.wal.close();
    const original = createEngine({ chainId: CHAIN, pubKey: me.key.pubKey, verify });
    const replayed = createEngine({ chainId: CHAIN, pubKey: me.key.pubKey, verify });
    for (const e of log) original.handle(e);
    for (const e of again.replay) replayed.handle(e);
    expect(replayed.state()).toEqual(original.state());
  });

  it('cuts a torn last write and keeps appending after the repair', async () => {
    const path = join(dir, 'cs.wal');
    const log = realLog();
    const { wal } = await FileWal.open(path);
    for (const e of log.slice(0, 5)) await wal.append(e);
    await wal.sync();
    await wal.close();
    const goodSize = (await stat(path)).size;
    const torn = encodeRecord(encodeEvent(log[5]));
    await appendFile(path, torn.subarray(0, torn.length - 3));
    const repaired = await FileWal.open(path);
    expect(repaired.droppedBytes).toBe(torn.length - 3);
    expect(repaired.replay).toEqual(log.slice(0, 5));
    expect((await stat(path)).size).toBe(goodSize);
    await repaired.wal.append(log[5]);
    await repaired.wal.sync();
    await repaired.wal.close();
    expect((await FileWal.open(path)).replay).toEqual(log.slice(0, 6));
  });

  it('cuts a corrupted tail at the last good record', async () => {
    const path = join(dir, 'cs.wal');
    const log = realLog().slice(0, 6);
    await writeFile(path, concat(log.map((e) => encodeRecord(encodeEvent(e)))));
    const bytes = new Uint8Array(await readFile(path));
    bytes[bytes.length - 2] ^= 0xff;
    await writeFile(path, bytes);
    const r = await FileWal.open(path);
    expect(r.replay).toEqual(log.slice(0, 5));
    expect(r.droppedBytes).toBe(encodeRecord(encodeEvent(log[5])).length);
    await r.wal.close();
  });

  it('compacts to the new start record once the file is over its size limit', async () => {
    const path = join(dir, 'cs.wal');
    const log = realLog();
    const { wal } = await FileWal.open(path, { maxBytes: 2000 });
    for (const e of log) await wal.append(e);
    const next: EngineEvent = { type: 'start', now: T0 + 5000, height: 2n, validators: set, lastBlockTimeMs: T0 };
    await wal.append(next);
    await wal.append(log[1]);
    await wal.sync();
    await wal.close();
    const r = await FileWal.open(path);
    expect(r.replay).toEqual([next, log[1]]);
    expect((await stat(path)).size).toBe(encodeRecord(encodeEvent(next)).length + encodeRecord(encodeEvent(log[1])).length);
    await r.wal.close();
  });
});
