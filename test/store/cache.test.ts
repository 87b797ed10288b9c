import { describe, expect, it } from 'vitest';
import { createCacheKV, createMemoryKV, prefixStore } from '../../app/store/cache.js';
import type { KVReader } from '../../app/store/types.js';
import { ErrInvalidRequest, ErrLogic, isError } from '../../app/errors.js';
import { text, utf8 } from './helpers.js';

async function keys(it: AsyncIterable<[Uint8Array, Uint8Array]>): Promise<string[]> {
  const out: string[] = [];
  for await (const [k] of it) out.push(text(k)!);
  return out;
}

describe('createMemoryKV', () => {
  it('iterates in byte order regardless of insertion order, with bounds, reverse and limit', async () => {
    const kv = createMemoryKV();
    for (const k of ['b/2', 'a/1', 'b/10', 'b/1', 'c']) await kv.set(utf8(k), utf8('v'));
    await kv.delete(utf8('b/2'));
    expect(await keys(kv.iterate(utf8('b/')))).toEqual(['b/1', 'b/10']);
    expect(await keys(kv.iterate(new Uint8Array(), { reverse: true, limit: 2 }))).toEqual(['c', 'b/10']);
    expect(await keys(kv.iterate(new Uint8Array(), { start: utf8('a/1'), end: utf8('b/10') }))).toEqual(['a/1', 'b/1']);
  });

  it('rejects empty values like the state store does', async () => {
    await expect(createMemoryKV().set(utf8('k'), new Uint8Array())).rejects.toSatisfy((e) => isError(e, ErrInvalidRequest));
  });
});

describe('createCacheKV', () => {
  it('shows its writes over the parent, hides deletes, and leaves the parent alone until write()', async () => {
    const parent = createMemoryKV();
    for (const k of ['a', 'b', 'c']) await parent.set(utf8(k), utf8(`p-${k}`));
    const cache = createCacheKV(parent);
    await cache.set(utf8('b'), utf8('c-b'));
    await cache.delete(utf8('c'));
    await cache.set(utf8('d'), utf8('c-d'));
    expect(await keys(cache.iterate(new Uint8Array()))).toEqual(['a', 'b', 'd']);
    expect(await keys(cache.iterate(new Uint8Array(), { reverse: true }))).toEqual(['d', 'b', 'a']);
    expect(text(await cache.get(utf8('b')))).toBe('c-b');
    expect(await cache.get(utf8('c'))).toBeUndefined();
    expect(await keys(parent.iterate(new Uint8Array()))).toEqual(['a', 'b', 'c']);
    await cache.write();
    expect(await keys(parent.iterate(new Uint8Array()))).toEqual(['a', 'b', 'd']);
    expect(text(await parent.get(utf8('b')))).toBe('c-b');
  });

  it('reset() drops cached writes', async () => {
    const parent = createMemoryKV();
    const cache = createCacheKV(parent);
    await cache.set(utf8('k'), utf8('v'));
    cache.reset();
    expect(await cache.get(utf8('k'))).toBeUndefined();
    await cache.write();
    expect(await parent.get(utf8('k'))).toBeUndefined();
  });

  it('stacks: a cache over a cache flushes into the cache below only', async () => {
    const base = createMemoryKV();
    const check = createCacheKV(base);
    const tx = createCacheKV(check);
    await tx.set(utf8('k'), utf8('v'));
    await tx.write();
    expect(text(await check.get(utf8('k')))).toBe('v');
    expect(await base.get(utf8('k'))).toBeUndefined();
  });

  it('cannot write into a read-only parent', async () => {
    const reader: KVReader = { get: async () => undefined, iterate: async function* () {} };
    const cache = createCacheKV(reader);
    await cache.set(utf8('k'), utf8('v'));
    await expect(cache.write()).rejects.toSatisfy((e) => isError(e, ErrLogic));
  });
});

describe('prefixStore', () => {
  it('confines reads, writes and iteration to the prefix and strips it from keys', async () => {
    const kv = createMemoryKV();
    await kv.set(utf8('bank/x'), utf8('1'));
    await kv.set(utf8('bankrupt'), utf8('no'));
    await kv.set(utf8('auth/y'), utf8('2'));
    const bank = prefixStore(kv, utf8('bank/'));
    await bank.set(utf8('z'), utf8('3'));
    expect(text(await bank.get(utf8('x')))).toBe('1');
    expect(await keys(bank.iterate(new Uint8Array()))).toEqual(['x', 'z']);
    expect(await keys(bank.iterate(new Uint8Array(), { start: utf8('y'), reverse: true }))).toEqual(['z']);
    expect(text(await kv.get(utf8('bank/z')))).toBe('3');
  });
});
