import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createMPT } from '@ethereumjs/mpt';
import { openChainDB, type ChainDB } from '../../app/store/db.js';
import { createStateStore } from '../../app/store/state.js';
import type { IterateOptions, KVReader, StateStore } from '../../app/store/types.js';
import { collect, hex, tempDir } from './helpers.js';

type Model = Map<string, string>;

// a tiny alphabet so keys collide, prefix one another (branch values) and share prefixes
const key = fc.uint8Array({ minLength: 1, maxLength: 3 }).map((k) => k.map((b) => b & 0x03));
const value = fc.oneof(fc.uint8Array({ minLength: 1, maxLength: 2 }), fc.uint8Array({ minLength: 33, maxLength: 34 }));
const optional = <T,>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined, freq: 3 });
const iterOpts = fc.record({
  prefix: fc.uint8Array({ maxLength: 1 }).map((k) => k.map((b) => b & 0x03)),
  reverse: fc.boolean(),
  limit: optional(fc.integer({ min: 0, max: 6 })),
  start: optional(key),
  end: optional(key),
});
const op = fc.oneof(
  { weight: 6, arbitrary: fc.record({ t: fc.constant('set' as const), key, value }) },
  { weight: 3, arbitrary: fc.record({ t: fc.constant('delete' as const), key }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('checkpoint' as const) }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('commitCheckpoint' as const) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('revertCheckpoint' as const) }) },
  { weight: 3, arbitrary: fc.record({ t: fc.constant('commit' as const) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('discard' as const) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('reopen' as const) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('workingRoot' as const) }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('get' as const), key }) },
  { weight: 3, arbitrary: fc.record({ t: fc.constant('iterate' as const), o: iterOpts }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('past' as const), pick: fc.nat(), o: iterOpts }) },
);

function expected(m: Model, o: IterateOptions & { prefix: Uint8Array }): [string, string][] {
  const p = hex(o.prefix);
  let rows = [...m.entries()].filter(([k]) => k.startsWith(p) && (!o.start || k >= hex(o.start)) && (!o.end || k < hex(o.end)));
  rows.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (o.reverse) rows.reverse();
  if (o.limit !== undefined) rows = rows.slice(0, o.limit);
  return rows;
}

async function referenceRoot(m: Model): Promise<string> {
  const t = await createMPT({ useKeyHashing: false });
  for (const [k, v] of m) await t.put(Buffer.from(k, 'hex'), Buffer.from(v, 'hex'));
  return hex(t.root());
}

async function checkReader(r: KVReader, m: Model, o: IterateOptions & { prefix: Uint8Array }): Promise<void> {
  const { prefix, ...opts } = o;
  expect(await collect(r.iterate(prefix, opts))).toEqual(expected(m, o));
  for (const k of [...m.keys()].slice(0, 3)) expect(hex((await r.get(Buffer.from(k, 'hex')))!)).toBe(m.get(k));
}

describe('StateStore against a Map model', () => {
  it('agrees on reads, ordered iteration, checkpoints, commits, history and reopen', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 20, maxLength: 80, size: 'max' }), async (ops) => {
        const { dir, cleanup } = await tempDir();
        let db: ChainDB = await openChainDB(dir);
        let store: StateStore = await createStateStore(db);
        let current: Model = new Map();
        let saved: Model[] = [];
        let committed: Model = new Map();
        const history: Model[] = [];
        try {
          for (const o of ops) {
            switch (o.t) {
              case 'set':
                await store.set(o.key, o.value);
                current.set(hex(o.key), hex(o.value));
                break;
              case 'delete':
                await store.delete(o.key);
                current.delete(hex(o.key));
                break;
              case 'checkpoint':
                store.checkpoint();
                saved.push(new Map(current));
                break;
              case 'commitCheckpoint':
                if (saved.length === 0) await expect(store.commitCheckpoint()).rejects.toThrow(/without an open checkpoint/);
                else {
                  await store.commitCheckpoint();
                  saved.pop();
                }
                break;
              case 'revertCheckpoint':
                if (saved.length === 0) await expect(store.revertCheckpoint()).rejects.toThrow(/without an open checkpoint/);
                else {
                  await store.revertCheckpoint();
                  current = saved.pop()!;
                }
                break;
              case 'commit': {
                if (saved.length > 0) {
                  await expect(store.commit(history.length + 1)).rejects.toThrow(/still open/);
                  // close the open checkpoints (as the app does at block end) and commit
                  while (saved.length > 0) {
                    await store.commitCheckpoint();
                    saved.pop();
                  }
                }
                const root = await store.commit(history.length + 1);
                committed = new Map(current);
                history.push(committed);
                expect(hex(root)).toBe(await referenceRoot(committed));
                expect(store.height).toBe(history.length);
                break;
              }
              case 'discard':
                await store.discard();
                current = new Map(committed);
                saved = [];
                break;
              case 'reopen': {
                const root = hex(store.committedRoot);
                await store.close();
                await db.close();
                db = await openChainDB(dir);
                store = await createStateStore(db);
                expect(store.height).toBe(history.length);
                expect(hex(store.committedRoot)).toBe(root);
                current = new Map(committed);
                saved = [];
                break;
              }
              case 'workingRoot':
                expect(hex(await store.workingRoot())).toBe(await referenceRoot(current));
                break;
              case 'get':
                expect(hex((await store.get(o.key)) ?? new Uint8Array())).toBe(current.get(hex(o.key)) ?? '');
                break;
              case 'iterate':
                await checkReader(store, current, o.o);
                break;
              case 'past': {
                if (history.length === 0) break;
                const h = 1 + (o.pick % history.length);
                await checkReader(await store.readAt(h), history[h - 1], o.o);
                break;
              }
            }
          }
        } finally {
          await db.close();
          await cleanup();
        }
      }),
      { numRuns: 100 },
    );
  });
});
