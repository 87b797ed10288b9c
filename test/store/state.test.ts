import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KECCAK256_RLP } from '@ethereumjs/util';
import { openChainDB, type ChainDB } from '../../app/store/db.js';
import { createStateStore } from '../../app/store/state.js';
import type { StateStore } from '../../app/store/types.js';
import { ErrIO, ErrInvalidHeight, ErrInvalidRequest, ErrLogic, isError } from '../../app/errors.js';
import { collect, hex, tempDir, text, utf8 } from './helpers.js';

let dir: string;
let cleanup: () => Promise<void>;
let db: ChainDB;
let store: StateStore;

beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
  db = await openChainDB(dir);
  store = await createStateStore(db);
});
afterEach(async () => {
  await db.close();
  await cleanup();
});

async function reopen(): Promise<void> {
  await db.close();
  db = await openChainDB(dir);
  store = await createStateStore(db);
}

describe('StateStore', () => {
  it('starts empty at height 0 with the empty-trie root', async () => {
    expect(store.height).toBe(0);
    expect(hex(store.committedRoot)).toBe(hex(KECCAK256_RLP));
    expect(hex(await store.workingRoot())).toBe(hex(KECCAK256_RLP));
    expect(store.keptHeights()).toEqual({ earliest: 0, latest: 0 });
    expect(await (await store.readAt(0)).get(utf8('a'))).toBeUndefined();
  });

  it('commits genesis at height 0, then refuses heights that do not increase', async () => {
    await store.set(utf8('auth/params/'), utf8('p'));
    await store.commit(0);
    expect(store.keptHeights()).toEqual({ earliest: 0, latest: 0 });
    await expect(store.commit(0)).rejects.toSatisfy((e) => isError(e, ErrInvalidHeight));
    await store.commit(1);
    await expect(store.commit(1)).rejects.toSatisfy((e) => isError(e, ErrInvalidHeight));
    expect(text(await (await store.readAt(0)).get(utf8('auth/params/')))).toBe('p');
  });

  it('reads its own uncommitted writes and drops them on discard', async () => {
    await store.set(utf8('bank/a'), utf8('1'));
    await store.commit(1);
    await store.set(utf8('bank/a'), utf8('2'));
    await store.set(utf8('bank/b'), utf8('3'));
    expect(text(await store.get(utf8('bank/a')))).toBe('2');
    await store.discard();
    expect(text(await store.get(utf8('bank/a')))).toBe('1');
    expect(await store.get(utf8('bank/b'))).toBeUndefined();
    expect(hex(await store.workingRoot())).toBe(hex(store.committedRoot));
  });

  it('returns to the committed root when a checkpoint is reverted after workingRoot()', async () => {
    await store.set(utf8('k'), utf8('v0'));
    const root1 = await store.commit(1);
    store.checkpoint();
    await store.set(utf8('k'), utf8('v1'));
    await store.set(utf8('new'), utf8('x'));
    const mid = await store.workingRoot();
    expect(hex(mid)).not.toBe(hex(root1));
    await store.revertCheckpoint();
    expect(hex(await store.workingRoot())).toBe(hex(root1));
    expect(hex(await store.commit(2))).toBe(hex(root1));
  });

  it('serialises concurrent workingRoot() and commit() calls on one trie writer', async () => {
    for (let i = 0; i < 50; i++) await store.set(utf8(`k/${i}`), utf8(`v${i}`));
    const [a, b, c] = await Promise.all([store.workingRoot(), store.workingRoot(), store.commit(1)]);
    expect(hex(a)).toBe(hex(c));
    expect(hex(b)).toBe(hex(c));
    expect(hex(store.committedRoot)).toBe(hex(c));
  });

  it('rejects empty keys and empty values (the trie reads an empty value as a delete)', async () => {
    await expect(store.set(new Uint8Array(), utf8('v'))).rejects.toSatisfy((e) => isError(e, ErrInvalidRequest));
    await expect(store.set(utf8('k'), new Uint8Array())).rejects.toSatisfy((e) => isError(e, ErrInvalidRequest));
  });

  it('refuses to commit or close checkpoints out of order', async () => {
    await expect(store.commitCheckpoint()).rejects.toSatisfy((e) => isError(e, ErrLogic));
    store.checkpoint();
    await expect(store.commit(1)).rejects.toSatisfy((e) => isError(e, ErrLogic));
    await store.revertCheckpoint();
    await store.commit(1);
  });

  it('reopens at the same height and root with the same state', async () => {
    for (let h = 1; h <= 3; h++) {
      await store.set(utf8(`acc/${h}`), utf8(`v${h}`));
      await store.commit(h);
    }
    const root = hex(store.committedRoot);
    await reopen();
    expect(store.height).toBe(3);
    expect(hex(store.committedRoot)).toBe(root);
    expect((await collect(store.iterate(utf8('acc/')))).length).toBe(3);
    expect(text(await (await store.readAt(1)).get(utf8('acc/1')))).toBe('v1');
    expect(await (await store.readAt(1)).get(utf8('acc/2'))).toBeUndefined();
  });

  it('keeps a latest view at its height after the next commit', async () => {
    await store.set(utf8('k'), utf8('old'));
    await store.commit(1);
    const view = await store.readAt();
    await store.set(utf8('k'), utf8('new'));
    await store.set(utf8('k2'), utf8('x'));
    await store.commit(2);
    expect(text(await view.get(utf8('k')))).toBe('old');
    expect((await collect(view.iterate(utf8('k')))).map(([k]) => k)).toEqual([hex(utf8('k'))]);
    expect(text(await (await store.readAt()).get(utf8('k')))).toBe('new');
  });

  it('with keepRecent, refuses heights that fell out of the window and says which are kept', async () => {
    await db.close();
    db = await openChainDB(dir);
    store = await createStateStore(db, { keepRecent: 2 });
    for (let h = 1; h <= 5; h++) {
      await store.set(utf8('k'), utf8(`v${h}`));
      await store.commit(h);
    }
    expect(store.keptHeights()).toEqual({ earliest: 4, latest: 5 });
    expect(text(await (await store.readAt(4)).get(utf8('k')))).toBe('v4');
    const err = await store.readAt(3).catch((e: unknown) => e);
    expect(isError(err, ErrInvalidHeight)).toBe(true);
    expect((err as Error).message).toMatch(/4\.\.5/);
    await expect(store.prove(utf8('k'), 2)).rejects.toSatisfy((e) => isError(e, ErrInvalidHeight));
    await expect(store.readAt(6)).rejects.toSatisfy((e) => isError(e, ErrInvalidHeight));
    await reopen();
    expect(store.keptHeights()).toEqual({ earliest: 4, latest: 5 });
  });
});

describe('ChainDB', () => {
  it('refuses a second open of the same home with an "in use" error', async () => {
    const err = await openChainDB(dir).catch((e: unknown) => e);
    expect(isError(err, ErrIO)).toBe(true);
    expect((err as Error).message).toMatch(/in use by another node/);
  });

  it('reserves the state sublevels', () => {
    expect(() => db.sublevel('trie')).toThrow(/reserved/);
  });
});
