/**
 * Announced-but-missing messages (the paper's `missing` set): for each id, the lazy
 * peers that announced it, in arrival order, and whom this node has GRAFTed. Bounded
 * in ids, announcers per id and ids per peer, so an IHAVE flood for ids that never
 * arrive costs a fixed amount of memory.
 */
import type { PeerId } from '../types.js';
import type { MissingConfig } from './config.js';
import type { MessageId } from './message-id.js';

export interface Announcement {
  readonly peer: PeerId;
  readonly round: number;
}

export interface MissingEntry {
  readonly announcers: Announcement[];
  /** Announcers already asked with GRAFT, oldest first: asked again when nobody new is left. */
  readonly tried: Announcement[];
  /** The peer last asked with GRAFT, not yet known to have delivered. */
  grafted: PeerId | undefined;
  /** When the last GRAFT went out (its answer is a round-trip sample). */
  graftedAt: number;
  /** GRAFTs sent for this id. */
  attempts: number;
  /** Peers already charged a broken promise for this id (once each). */
  readonly charged: PeerId[];
  /** When the first IHAVE arrived (how late the tree's copy was is a timeout sample). */
  readonly firstAt: number;
}

export type AddOutcome = 'first' | 'added' | 'dropped';

export class MissingMessages {
  private readonly byId = new Map<MessageId, MissingEntry>();
  private readonly byPeer = new Map<PeerId, Set<MessageId>>();

  constructor(private readonly config: MissingConfig) {}

  get size(): number {
    return this.byId.size;
  }

  get(id: MessageId): MissingEntry | undefined {
    return this.byId.get(id);
  }

  /** Records that `peer` announced `id`. 'first' means a timer should be armed. */
  add(id: MessageId, peer: PeerId, round: number, now = 0): AddOutcome {
    const ids = this.byPeer.get(peer);
    if (ids?.has(id)) return 'dropped';
    if ((ids?.size ?? 0) >= this.config.maxPerPeer) return 'dropped';
    let e = this.byId.get(id);
    const first = e === undefined;
    if (!e) {
      if (this.byId.size >= this.config.maxIds) return 'dropped';
      e = { announcers: [], tried: [], grafted: undefined, graftedAt: 0, attempts: 0, charged: [], firstAt: now };
      this.byId.set(id, e);
    }
    if (e.announcers.length >= this.config.maxAnnouncersPerId) return 'dropped';
    e.announcers.push({ peer, round });
    if (ids) ids.add(id);
    else this.byPeer.set(peer, new Set([id]));
    return first ? 'first' : 'added';
  }

  /** Removes and returns the earliest remaining announcer of `id` that `prefer` accepts, else the earliest. */
  shift(id: MessageId, prefer: (peer: PeerId) => boolean = () => false): Announcement | undefined {
    const e = this.byId.get(id);
    if (!e || e.announcers.length === 0) return undefined;
    let i = e.announcers.findIndex((a) => prefer(a.peer));
    if (i < 0) i = 0;
    const [a] = e.announcers.splice(i, 1);
    this.unindex(a.peer, id);
    return a;
  }

  /**
   * Every announcer has been asked once: the one asked longest ago that `usable` still
   * accepts (a neighbour) goes to the back of the queue and is asked again. A GRAFT or
   * its answer can be lost on a real link (a stream reset, a dial that failed), and the
   * paper's protocol then never asks again.
   */
  retry(id: MessageId, usable: (peer: PeerId) => boolean): Announcement | undefined {
    const e = this.byId.get(id);
    if (!e) return undefined;
    const i = e.tried.findIndex((a) => usable(a.peer));
    if (i < 0) return undefined;
    const [a] = e.tried.splice(i, 1);
    return a;
  }

  /** Forgets `id` (it arrived, or nobody is left to ask); returns its remaining announcements. */
  take(id: MessageId): Announcement[] {
    const e = this.byId.get(id);
    if (!e) return [];
    this.byId.delete(id);
    for (const a of e.announcers) this.unindex(a.peer, id);
    return e.announcers;
  }

  /** Forgets every announcement by `peer` (NeighborDown, §3.7), asked or not. */
  removePeer(peer: PeerId): void {
    const ids = this.byPeer.get(peer);
    this.byPeer.delete(peer);
    for (const id of ids ?? []) {
      const e = this.byId.get(id);
      const i = e ? e.announcers.findIndex((a) => a.peer === peer) : -1;
      if (i >= 0) e!.announcers.splice(i, 1);
    }
    // the asked ones are no longer indexed by peer (bounded: maxIds entries, on a neighbour loss)
    for (const e of this.byId.values()) {
      if (e.grafted === peer) e.grafted = undefined;
      const t = e.tried.findIndex((a) => a.peer === peer);
      if (t >= 0) e.tried.splice(t, 1);
    }
  }

  /** Removes `peer`'s announcement of `id`, if any; returns its round. */
  takeAnnouncement(id: MessageId, peer: PeerId): Announcement | undefined {
    const e = this.byId.get(id);
    const i = e ? e.announcers.findIndex((a) => a.peer === peer) : -1;
    if (!e || i < 0) return undefined;
    const [a] = e.announcers.splice(i, 1);
    this.unindex(peer, id);
    return a;
  }

  /** Missing ids `peer` has announced (a copy). */
  announcedBy(peer: PeerId): MessageId[] {
    return [...(this.byPeer.get(peer) ?? [])];
  }

  /** Ids `peer` has announced and that are still missing. */
  countFor(peer: PeerId): number {
    return this.byPeer.get(peer)?.size ?? 0;
  }

  private unindex(peer: PeerId, id: MessageId): void {
    const ids = this.byPeer.get(peer);
    if (!ids) return;
    ids.delete(id);
    if (ids.size === 0) this.byPeer.delete(peer);
  }
}
