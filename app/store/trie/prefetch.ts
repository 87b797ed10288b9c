/**
 * Load, level by level, every stored node on the paths of `keys`, with one multi-get per
 * level. Applying a block's writes one key at a time would otherwise wait on a LevelDB
 * round trip per missing node: measured ~670 sets/s with commit on a 100k-entry store,
 * bound by read latency, not CPU.
 */
import { decodeNode, type ExtNode, type BranchNode, type LoadedNode, type TrieNode } from './node.js';
import { toNibbles } from './rlp.js';
import { toHex } from '../bytes.js';
import { ErrIO } from '../../errors.js';

export type LoadMany = (hashes: Uint8Array[]) => Promise<(Uint8Array | undefined)[]>;

/** Where a node hangs: the root holder or a branch/extension slot. */
interface Slot {
  parent: BranchNode | ExtNode | { root: TrieNode | null };
  index: number;
}

function read(s: Slot): TrieNode | null {
  const p = s.parent;
  if ('root' in p) return p.root;
  return p.kind === 'ext' ? p.child : p.kids[s.index];
}

function write(s: Slot, n: LoadedNode): void {
  const p = s.parent;
  if ('root' in p) p.root = n;
  else if (p.kind === 'ext') p.child = n;
  else p.kids[s.index] = n;
}

interface Cursor {
  slot: Slot;
  path: Uint8Array;
  at: number;
}

export async function prefetchPaths(holder: { root: TrieNode | null }, keys: Uint8Array[], loadMany: LoadMany): Promise<void> {
  let cursors: Cursor[] = keys.map((k) => ({ slot: { parent: holder, index: 0 }, path: toNibbles(k), at: 0 }));
  while (cursors.length > 0) {
    // one load per distinct unresolved slot at this level
    const pending = new Map<object, Map<number, Slot>>();
    const slots: Slot[] = [];
    for (const c of cursors) {
      const n = read(c.slot);
      if (n === null || n.kind !== 'hash') continue;
      let byIndex = pending.get(c.slot.parent);
      if (!byIndex) pending.set(c.slot.parent, (byIndex = new Map()));
      if (!byIndex.has(c.slot.index)) {
        byIndex.set(c.slot.index, c.slot);
        slots.push(c.slot);
      }
    }
    if (slots.length > 0) {
      const hashes = slots.map((s) => (read(s) as { hash: Uint8Array }).hash);
      const encs = await loadMany(hashes);
      slots.forEach((s, i) => {
        const enc = encs[i];
        if (enc === undefined) throw ErrIO.wrap(`trie node ${toHex(hashes[i])} is missing from the database`);
        write(s, decodeNode(hashes[i], enc));
      });
    }
    cursors = advance(cursors);
  }
}

/** Move each cursor one node down its key's path; drop those that reached their end. */
function advance(cursors: Cursor[]): Cursor[] {
  const next: Cursor[] = [];
  for (const c of cursors) {
    const n = read(c.slot);
    if (n === null || n.kind === 'hash' || n.kind === 'leaf') continue;
    let slot: Slot;
    let at = c.at;
    if (n.kind === 'ext') {
      if (!startsAt(c.path, at, n.path)) continue;
      at += n.path.length;
      slot = { parent: n, index: 0 };
    } else {
      if (at >= c.path.length) continue;
      slot = { parent: n, index: c.path[at++] };
    }
    next.push({ slot, path: c.path, at });
  }
  return next;
}

function startsAt(path: Uint8Array, at: number, seg: Uint8Array): boolean {
  if (path.length - at < seg.length) return false;
  for (let i = 0; i < seg.length; i++) if (path[at + i] !== seg[i]) return false;
  return true;
}
