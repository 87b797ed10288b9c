import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClassicLevel } from 'classic-level';
import type { BatchOp } from '../../../app/store/types.js';
import type { BlockStoreSublevels } from '../../../app/consensus/blockstore.js';

/** A throwaway LevelDB with the block store's sublevels; `write` applies BatchOps atomically like the state commit does. */
export async function tempLevel() {
  const dir = await mkdtemp(join(tmpdir(), 'guts-consensus-'));
  let db = new ClassicLevel<Uint8Array, Uint8Array>(dir, { keyEncoding: 'view', valueEncoding: 'view' });
  await db.open();
  const subs = (): BlockStoreSublevels => {
    const make = (name: string) => db.sublevel<Uint8Array, Uint8Array>(name, { keyEncoding: 'view', valueEncoding: 'view' });
    return { blocks: make('blocks'), commits: make('commits'), results: make('results'), txindex: make('txindex'), evindex: make('evindex') };
  };
  return {
    dir,
    get db() {
      return db;
    },
    sublevels: subs,
    async write(ops: BatchOp[]) {
      await db.batch(
        ops.map((o) =>
          o.type === 'put'
            ? { type: 'put' as const, sublevel: o.sublevel, key: o.key, value: o.value as Uint8Array }
            : { type: 'del' as const, sublevel: o.sublevel, key: o.key },
        ),
      );
    },
    async reopen() {
      await db.close();
      db = new ClassicLevel<Uint8Array, Uint8Array>(dir, { keyEncoding: 'view', valueEncoding: 'view' });
      await db.open();
    },
    async destroy() {
      await db.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
