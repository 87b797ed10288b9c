/**
 * The node's one LevelDB (classic-level) and its sublevels. Everything that must survive a
 * crash together (trie nodes, flat index, heights, block store) lives in this one database
 * so a single `batch()` can commit it atomically (DESIGN §3).
 */
import { ClassicLevel } from 'classic-level';
import type { AbstractSublevel } from 'abstract-level';
import { ErrIO } from '../errors.js';

export type Bytes = Uint8Array;
export type ChainLevel = ClassicLevel<Bytes, Bytes>;
export type Sublevel = AbstractSublevel<ChainLevel, string | Bytes, Bytes, Bytes>;

export interface ChainDB {
  readonly level: ChainLevel;
  /** Merkle Patricia trie nodes: node hash → RLP node. */
  readonly trie: Sublevel;
  /** Flat copy of the latest state: store key → value, for ordered prefix iteration. */
  readonly index: Sublevel;
  /** Store bookkeeping: latest height and root, root per kept height. */
  readonly meta: Sublevel;
  /** A named sublevel with byte keys and values (e.g. 'blocks', 'txindex' for the block store). */
  sublevel(name: string): Sublevel;
  close(): Promise<void>;
}

const RESERVED = new Set(['trie', 'index', 'meta']);

export async function openChainDB(dir: string): Promise<ChainDB> {
  const level: ChainLevel = new ClassicLevel<Bytes, Bytes>(dir, { keyEncoding: 'view', valueEncoding: 'view' });
  try {
    await level.open();
  } catch (err) {
    throw openError(dir, err);
  }
  const make = (name: string): Sublevel => level.sublevel<Bytes, Bytes>(name, { keyEncoding: 'view', valueEncoding: 'view' });
  return {
    level,
    trie: make('trie'),
    index: make('index'),
    meta: make('meta'),
    sublevel(name: string): Sublevel {
      if (RESERVED.has(name)) throw ErrIO.wrap(`sublevel '${name}' is reserved for the state store`);
      return make(name);
    },
    close: () => level.close(),
  };
}

function openError(dir: string, err: unknown): Error {
  const e = err as { code?: string; cause?: { code?: string; message?: string }; message?: string };
  if (e.cause?.code === 'LEVEL_LOCKED' || e.code === 'LEVEL_LOCKED') {
    return ErrIO.wrap(`home ${dir} is in use by another node (its LevelDB lock is held); stop that node or choose another --home`);
  }
  return ErrIO.wrap(`cannot open the database at ${dir}: ${e.cause?.message ?? e.message ?? String(err)}`);
}
