/**
 * Discovery over the Kademlia DHT (`/guts/kad/1.0.0`), the seed's API: `announce`
 * provides `guts-network/<chain-id>`, `findPeers` looks its providers up,
 * `announceRepo`/`findRepoProviders` do the same for a repository; `randomWalk`
 * looks up a random key (refreshes the routing table, returns the closest peers).
 * Every query runs under a deadline: kad-dht pauses queries while its table is empty.
 */
import type { KadDHT } from '@libp2p/kad-dht';
import type { Libp2p, PeerInfo as Libp2pPeerInfo } from '@libp2p/interface';
import { bytesToHex } from '@noble/hashes/utils.js';
import { CID } from 'multiformats/cid';
import * as raw from 'multiformats/codecs/raw';
import { sha256 } from 'multiformats/hashes/sha2';
import type { PeerInfo } from '../types.js';
import { descriptorAddrs } from './addresses.js';

const enc = new TextEncoder();

/** CIDv1 (raw) of sha256(text): the DHT key a name is provided under. */
export async function keyCid(text: string): Promise<CID> {
  return CID.createV1(raw.code, await sha256.digest(enc.encode(text)));
}

export const networkKeyName = (chainId: string): string => `guts-network/${chainId}`;
/** Repositories are per chain: two chains may hold the same repo key. */
export const repoKeyName = (chainId: string, repoKey: Uint8Array): string => `guts-repo/${chainId}/${bytesToHex(repoKey)}`;

export class Discovery {
  constructor(
    private readonly libp2p: Libp2p,
    private readonly dht: KadDHT,
    private readonly chainId: string,
    private readonly queryTimeoutMs: number,
  ) {}

  async announce(): Promise<void> {
    await this.provide(await keyCid(networkKeyName(this.chainId)));
  }

  async findPeers(limit = 20): Promise<PeerInfo[]> {
    return this.providers(await keyCid(networkKeyName(this.chainId)), limit);
  }

  async announceRepo(repoKey: Uint8Array): Promise<void> {
    await this.provide(await keyCid(repoKeyName(this.chainId, repoKey)));
  }

  async findRepoProviders(repoKey: Uint8Array, limit = 20): Promise<PeerInfo[]> {
    return this.providers(await keyCid(repoKeyName(this.chainId, repoKey)), limit);
  }

  /** A lookup of a random key: Kademlia's bucket refresh, done for one random bucket. */
  async randomWalk(): Promise<PeerInfo[]> {
    const key = globalThis.crypto.getRandomValues(new Uint8Array(32));
    const out = new Map<string, PeerInfo>();
    try {
      for await (const e of this.dht.getClosestPeers(key, { signal: AbortSignal.timeout(this.queryTimeoutMs) })) {
        if (e.name === 'FINAL_PEER') this.collect(out, e.peer);
        else if (e.name === 'PEER_RESPONSE') for (const p of e.closer) this.collect(out, p);
      }
    } catch {
      // deadline: keep what was found
    }
    return [...out.values()];
  }

  private async provide(cid: CID): Promise<void> {
    const signal = AbortSignal.timeout(this.queryTimeoutMs);
    for await (const e of this.dht.provide(cid, { signal })) void e;
  }

  private async providers(cid: CID, limit: number): Promise<PeerInfo[]> {
    const out = new Map<string, PeerInfo>();
    const ac = new AbortController();
    const timer = setTimeout(() => ac.abort(), this.queryTimeoutMs);
    try {
      for await (const e of this.dht.findProviders(cid, { signal: ac.signal })) {
        if (e.name !== 'PROVIDER' && e.name !== 'PEER_RESPONSE') continue;
        for (const p of e.providers) this.collect(out, p);
        if (out.size >= limit) break;
      }
    } catch {
      // deadline: keep what was found
    } finally {
      clearTimeout(timer);
    }
    return [...out.values()].slice(0, limit);
  }

  private collect(out: Map<string, PeerInfo>, p: Libp2pPeerInfo): void {
    const id = p.id.toString();
    if (id === this.libp2p.peerId.toString()) return;
    const addrs = descriptorAddrs(p.multiaddrs);
    if (addrs.length > 0 || !out.has(id)) out.set(id, { id, addrs });
  }
}
