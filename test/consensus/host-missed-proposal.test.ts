/**
 * A validator that never receives the proposals of some heights (lost on its links) still
 * commits the same blocks: it sees +2/3 precommits for a block it lacks and fetches the
 * block with its commit from the peer they came from (`requestCommit`), then goes on with
 * the others. Four equal validators, real app, keys, WAL and LevelDB, in-memory network.
 */
import { toHex } from '@cosmjs/encoding';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeWire, TAG_PROPOSAL } from '../../app/consensus/host/index.js';
import { createCluster, waitFor, type Cluster } from '../helpers/consensus-cluster.js';

const STAKES = [100_000n, 100_000n, 100_000n, 100_000n];

describe('consensus host: a validator that missed the proposal', () => {
  let c: Cluster;
  let from = 0;
  const missed = new Set<number>();

  beforeAll(async () => {
    c = await createCluster(STAKES, { tag: 'missed' });
    for (let i = 0; i < STAKES.length; i++) await c.open(i);
    await waitFor('height 2 everywhere', () => c.nodes.every((n) => n!.host.height() >= 2), 20_000);
    from = Math.max(...c.nodes.map((n) => n!.host.height())) + 1;
    // Every proposal for the next four heights is lost on its way to v3.
    c.net.setLoss((sender, to, bytes) => {
      if (to !== 'v3' || bytes[0] !== TAG_PROPOSAL) return false;
      const m = decodeWire(bytes);
      const h = m.type === 'proposal' ? Number(m.proposal.height) : 0;
      if (h < from || h >= from + 4) return false;
      missed.add(h);
      return true;
    });
    await waitFor(`height ${from + 5} everywhere`, () => c.nodes.every((n) => n!.host.height() >= from + 5), 30_000);
    c.net.setLoss(undefined);
  }, 55_000);

  afterAll(async () => {
    await c?.destroy();
  });

  it('fetches each block it lacked with its commit and stores the same chain as the others', async () => {
    expect(missed.size).toBeGreaterThan(0);
    const v3 = c.nodes[3]!;
    for (const h of missed) {
      const ids = await Promise.all(c.nodes.map(async (n) => toHex((await n!.blockStore.loadBlock(h))!.blockId.hash)));
      expect(new Set(ids).size, `height ${h}`).toBe(1);
      expect(c.net.commitRequests.some((r) => r.from === 'v3' && Number(r.height) === h), `v3 asked a peer for block ${h}`).toBe(true);
    }
    expect(v3.host.height()).toBeGreaterThanOrEqual(from + 5);
    expect(c.net.reports).toEqual([]);
  });
});
