import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openChainDB, type ChainDB } from '../../app/store/db.js';
import { createStateStore } from '../../app/store/state.js';
import type { BatchOp } from '../../app/store/types.js';
import { ErrIO, isError } from '../../app/errors.js';
import { hex, tempDir, text, utf8 } from './helpers.js';

let dir: string;
let cleanup: () => Promise<void>;
let db: ChainDB;

beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
  db = await openChainDB(dir);
});
afterEach(async () => {
  await db.close();
  await cleanup();
});

describe('commit atomicity', () => {
  it('writes state, heights and the caller’s block-store ops in one batch', async () => {
    const store = await createStateStore(db);
    const blocks = db.sublevel('blocks');
    await store.set(utf8('k'), utf8('v'));
    await store.commit(1, [{ type: 'put', sublevel: blocks, key: utf8('1'), value: utf8('block one') }]);
    await db.close();
    db = await openChainDB(dir);
    expect(text(await db.sublevel('blocks').get(utf8('1')))).toBe('block one');
    expect((await createStateStore(db)).height).toBe(1);
  });

  it('leaves nothing of a height on disk when its batch fails, and the height can be retried', async () => {
    const store = await createStateStore(db);
    const blocks = db.sublevel('blocks');
    await store.set(utf8('a'), utf8('1'));
    const root1 = await store.commit(1, [{ type: 'put', sublevel: blocks, key: utf8('1'), value: utf8('b1') }]);

    await store.set(utf8('a'), utf8('2'));
    await store.set(utf8('b'), utf8('new'));
    // the last op has no key: LevelDB rejects the whole batch, the state ops before it included
    const bad: BatchOp[] = [
      { type: 'put', sublevel: blocks, key: utf8('2'), value: utf8('b2') },
      { type: 'del', sublevel: blocks, key: undefined as unknown as Uint8Array },
    ];
    await expect(store.commit(2, bad)).rejects.toSatisfy((e) => isError(e, ErrIO));
    expect(store.height).toBe(1);
    expect(hex(store.committedRoot)).toBe(hex(root1));

    // what another process would find after a crash at this instant
    await db.close();
    db = await openChainDB(dir);
    const reopened = await createStateStore(db);
    expect(reopened.height).toBe(1);
    expect(hex(reopened.committedRoot)).toBe(hex(root1));
    expect(text(await reopened.get(utf8('a')))).toBe('1');
    expect(await reopened.get(utf8('b'))).toBeUndefined();
    expect(await db.sublevel('blocks').get(utf8('2'))).toBeUndefined();
    await expect(reopened.readAt(2)).rejects.toThrow(/not kept/);

    // the failed block is simply executed and committed again
    await reopened.set(utf8('a'), utf8('2'));
    await reopened.set(utf8('b'), utf8('new'));
    await reopened.commit(2, [{ type: 'put', sublevel: db.sublevel('blocks'), key: utf8('2'), value: utf8('b2') }]);
    expect(text(await (await reopened.readAt(2)).get(utf8('b')))).toBe('new');
    expect(text(await db.sublevel('blocks').get(utf8('2')))).toBe('b2');
  });

  it('writes nothing when the database fails under the commit', async () => {
    const store = await createStateStore(db);
    await store.set(utf8('a'), utf8('1'));
    const root1 = await store.commit(1);
    await store.set(utf8('a'), utf8('2'));
    await db.close();
    await expect(store.commit(2)).rejects.toSatisfy((e) => isError(e, ErrIO));
    db = await openChainDB(dir);
    const reopened = await createStateStore(db);
    expect(reopened.height).toBe(1);
    expect(hex(reopened.committedRoot)).toBe(hex(root1));
    expect(text(await reopened.get(utf8('a')))).toBe('1');
  });

  it('keeps the uncommitted block in memory after a failed commit so it can be retried', async () => {
    const store = await createStateStore(db);
    await store.set(utf8('a'), utf8('1'));
    const bad: BatchOp = { type: 'put', sublevel: db.sublevel('blocks'), key: utf8('x'), value: undefined };
    await expect(store.commit(1, [bad])).rejects.toThrow();
    expect(text(await store.get(utf8('a')))).toBe('1');
    await store.commit(1);
    expect(text(await (await store.readAt(1)).get(utf8('a')))).toBe('1');
  });
});
