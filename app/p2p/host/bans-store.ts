/** The ban list in the node's home: one JSON record, rewritten on every ban and at stop. */
import type { BanEntry, BanList } from '../eclipse/bans.js';
import type { HostDb } from './types.js';

const KEY = new TextEncoder().encode('bans');

export async function loadBans(db: HostDb, bans: BanList, now: number): Promise<number> {
  const v = await db.get(KEY);
  if (!v) return 0;
  let entries: unknown;
  try {
    entries = JSON.parse(new TextDecoder().decode(v));
  } catch {
    return 0; // a damaged record only loses the bans
  }
  if (!Array.isArray(entries)) return 0;
  bans.load(entries as BanEntry[], now);
  return bans.size;
}

export async function saveBans(db: HostDb, bans: BanList): Promise<void> {
  await db.put(KEY, new TextEncoder().encode(JSON.stringify(bans.entries())));
}
