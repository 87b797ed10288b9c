import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createMPT } from '@ethereumjs/mpt';
import { TrieWriter } from '../../app/store/trie/writer.js';
import { EMPTY_ROOT } from '../../app/store/trie/hash.js';
import { hex } from './helpers.js';

/** A writer over an in-memory node map, committing like the store does. */
function memoryWriter() {
  const disk = new Map<string, Uint8Array>();
  const w = new TrieWriter(async (h) => disk.get(hex(h)), async (hs) => hs.map((h) => disk.get(hex(h))), EMPTY_ROOT, EMPTY_ROOT);
  const commit = (reset: boolean) => {
    const root = w.root();
    const nodes = w.pendingNodes();
    for (const n of nodes) disk.set(hex(n.hash!), n.enc!);
    w.settle(nodes);
    // a reset reloads everything from the written nodes, as after a restart
    if (reset) w.reset(root, EMPTY_ROOT);
    return root;
  };
  return { w, disk, commit };
}

// short keys over a tiny alphabet force shared prefixes, keys that prefix other keys, and inline nodes
const key = fc.oneof(
  fc.uint8Array({ minLength: 1, maxLength: 4 }).map((k) => k.map((b) => b & 0x13)),
  fc.uint8Array({ minLength: 0, maxLength: 8 }).map((k) => Uint8Array.of(0x62, 0x2f, ...k)),
);
const value = fc.oneof(fc.uint8Array({ minLength: 1, maxLength: 3 }), fc.uint8Array({ minLength: 30, maxLength: 40 }));
const op = fc.oneof(
  fc.record({ t: fc.constant('put' as const), key, value }),
  fc.record({ t: fc.constant('del' as const), key }),
  fc.record({ t: fc.constant('commit' as const), reset: fc.boolean() }),
);

describe('TrieWriter', () => {
  it('computes the same root as @ethereumjs/mpt for any sequence of puts and deletes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 60 }), async (ops) => {
        const ref = await createMPT({ useKeyHashing: false });
        const { w, disk, commit } = memoryWriter();
        for (const o of ops) {
          if (o.t === 'put') {
            if (o.value.length % 3 === 0) await w.prefetch([o.key]);
            await ref.put(o.key, o.value);
            await w.put(o.key, o.value);
          } else if (o.t === 'del') {
            await ref.del(o.key);
            await w.del(o.key);
          } else {
            expect(hex(commit(o.reset))).toBe(hex(ref.root()));
          }
        }
        expect(hex(commit(true))).toBe(hex(ref.root()));
        // every committed node is readable by the library from the written nodes alone
        const reader = await createMPT({ useKeyHashing: false, root: ref.root() });
        for (const [h, enc] of disk) await reader['_db'].put(Buffer.from(h, 'hex'), enc);
        if (hex(ref.root()) !== hex(EMPTY_ROOT)) for (const o of ops) if (o.t !== 'commit') expect(await reader.get(o.key, true)).toEqual(await ref.get(o.key));
      }),
      { numRuns: 400 },
    );
  });

  it('writes only nodes reachable from the committed root', async () => {
    const { w, disk, commit } = memoryWriter();
    for (let i = 0; i < 200; i++) await w.put(Uint8Array.of(i >> 4, i & 15, 7), new Uint8Array(40).fill(i));
    w.root(); // a mid-block working root: its nodes are superseded below
    for (let i = 0; i < 200; i++) await w.put(Uint8Array.of(i >> 4, i & 15, 7), new Uint8Array(40).fill(255 - i));
    commit(false);
    const ref = await createMPT({ useKeyHashing: false });
    for (let i = 0; i < 200; i++) await ref.put(Uint8Array.of(i >> 4, i & 15, 7), new Uint8Array(40).fill(255 - i));
    let reachable = 0;
    await ref.walkAllNodes(async () => {
      reachable++;
    });
    expect(disk.size).toBeLessThanOrEqual(reachable);
  });
});
