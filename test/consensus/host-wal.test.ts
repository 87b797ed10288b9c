/**
 * Crash safety of the consensus host: the validator holding 40% of the stake (the others
 * cannot commit without it) is killed at random instants (seeded) and restarted from
 * the same files: its FilePV state, its LevelDB and its consensus WAL, sometimes with
 * the WAL's unsynced tail cut off (at any byte) as a crash before fsync can leave it. Every message it ever put
 * on the wire is recorded: it must never sign two different votes (or proposals) for
 * one height, round and type, no peer may see an equivocation from it, and the chain
 * must go on once it is back.
 */
import { readFileSync, statSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import { toHex } from '@cosmjs/encoding';
import { afterAll, describe, expect, it } from 'vitest';
import { proposalSignBytes, voteSignBytes } from '../../app/consensus/encoding/canonical.js';
import { decodeWire } from '../../app/consensus/host/index.js';
import { decodeRecords } from '../../app/consensus/engine/wal.js';
import { decodeEvent } from '../../app/consensus/engine/walcodec.js';
import { CLUSTER_CHAIN_ID, createCluster, waitFor, type Cluster, type ClusterNode } from '../helpers/consensus-cluster.js';

const SEED = Number(process.env.SEED ?? 20261202);
const CYCLES = 12;

/** mulberry32: a small seeded PRNG, so a failing run can be replayed with SEED=… */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * End of the last record the host certainly synced: our signed votes and proposals are
 * appended and fsynced before they are handled (host contract 3). Everything after
 * it may be lost by a crash; nothing before it can be (that would be disk corruption).
 */
function lastSyncPoint(buf: Uint8Array): number {
  const { payloads } = decodeRecords(buf);
  let off = 0;
  let synced = 0;
  for (const p of payloads) {
    off += 8 + p.length;
    const type = decodeEvent(p).type;
    if (type === 'signedVote' || type === 'signedProposal') synced = off;
  }
  return synced;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe(`consensus host: a validator killed at random instants never double-signs (SEED=${SEED})`, () => {
  let c: Cluster | undefined;
  afterAll(async () => {
    await c?.destroy();
  });

  it('signs each height/round/type at most once across kills, and the chain goes on', async () => {
    c = await createCluster([400_000n, 300_000n, 200_000n, 100_000n], { tag: 'wal' });
    const cluster = c;
    for (let i = 0; i < 4; i++) await cluster.open(i);
    const signed = new Map<string, string>();
    const conflicts: string[] = [];
    cluster.net.tap((from, bytes) => {
      if (from !== 'v0') return;
      const m = decodeWire(bytes);
      let key: string;
      let body: string;
      if (m.type === 'vote') {
        key = `${m.vote.height}/${m.vote.round}/vote${m.vote.type}`;
        body = toHex(voteSignBytes(CLUSTER_CHAIN_ID, m.vote));
      } else if (m.type === 'proposal') {
        key = `${m.proposal.height}/${m.proposal.round}/proposal`;
        body = toHex(proposalSignBytes(CLUSTER_CHAIN_ID, m.proposal));
      } else return;
      const before = signed.get(key);
      if (before === undefined) signed.set(key, body);
      else if (before !== body) conflicts.push(key);
    });
    const random = rng(SEED);
    await waitFor('height 2', () => cluster.nodes[0]!.host.height() >= 2);
    const start = cluster.nodes[1]!.host.height();
    let cut = 0;
    for (let i = 0; i < CYCLES; i++) {
      await sleep(30 + Math.floor(random() * 470));
      await cluster.nodes[0]!.close();
      cluster.nodes[0] = undefined;
      if (random() < 0.5) {
        // a crash before fsync may lose what was appended since the last sync, even mid-record
        const wal = join(cluster.dirs[0]!, 'cs.wal', 'wal');
        const unsynced = statSync(wal).size - lastSyncPoint(readFileSync(wal));
        const drop = Math.floor(random() * (unsynced + 1));
        truncateSync(wal, statSync(wal).size - drop);
        if (drop > 0) cut++;
      }
      await sleep(Math.floor(random() * 200));
      await cluster.open(0);
    }
    const others = () => cluster.nodes.slice(1) as ClusterNode[];
    const top = Math.max(...others().map((n) => n.host.height()));
    await waitFor('v0 back at the tip and two more blocks', () => cluster.nodes.every((n) => n!.host.height() >= top + 2), 30_000);

    expect(conflicts, `SEED=${SEED}`).toEqual([]);
    expect(signed.size).toBeGreaterThan(0);
    expect(cut).toBeGreaterThan(0);
    // the chain moved during the kills (v0 was needed for every block)
    expect(cluster.nodes[1]!.host.height()).toBeGreaterThan(start);
    // no peer saw an equivocation from v0, and no block carries evidence
    for (const n of cluster.nodes) expect(n!.host.evidence.size()).toBe(0);
    for (let h = 1; h <= cluster.nodes[1]!.host.height(); h++) expect((await cluster.nodes[1]!.blockStore.loadBlock(h))!.block.evidence.evidence).toEqual([]);
    // and every node stored the same chain
    const height = Math.min(...cluster.nodes.map((n) => n!.host.height()));
    for (let h = 1; h <= height; h++) {
      const ids = await Promise.all(cluster.nodes.map(async (n) => toHex((await n!.blockStore.loadBlock(h))!.blockId.hash)));
      expect(new Set(ids).size, `height ${h}`).toBe(1);
    }
  }, 60_000);
});
