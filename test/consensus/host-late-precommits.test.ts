/**
 * Late precommits (issue 5): a validator on a slow link whose precommits reach the others
 * after they already hold +2/3 is still live. Its precommits must land in the stored
 * commit and in the next block's LastCommit, so slashing (which reads those signatures)
 * never counts it as missing. Four equal validators, real app, keys, WAL and LevelDB over
 * the in-memory network; v3's messages arrive 25 ms after everyone else's.
 */
import { BlockIDFlag } from 'cosmjs-types/tendermint/types/validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ed25519KeyFromSeed } from '../../app/consensus/engine/crypto.js';
import { addressFromEd25519, bytesEqual } from '../../app/consensus/validators.js';
import { QuerySigningInfoRequest, QuerySigningInfoResponse } from '../../proto/gen/guts/slashing/v1/query.js';
import { consensusSeed, createCluster, waitFor, type Cluster } from '../helpers/consensus-cluster.js';

const STAKES = [100_000n, 100_000n, 100_000n, 100_000n];
const SLOW = 3;
const SLOW_LINK_MS = 25;
const TOP = 12;

describe('consensus host: late precommits', () => {
  let c: Cluster;
  const slowAddress = addressFromEd25519(ed25519KeyFromSeed(consensusSeed(SLOW, 'late')).pubKey);

  /** Blocks slashing counts as missed by v3 so far (v3 starts last, so it may miss the first block or two). */
  async function missedBySlow(): Promise<bigint> {
    const res = await c.nodes[0]!.app.query({
      path: '/guts.slashing.v1.Query/SigningInfo',
      data: QuerySigningInfoRequest.encode({ validatorAddress: c.operators[SLOW]!.address }).finish(),
      height: 0n,
      prove: false,
    });
    expect(res.code, res.log).toBe(0);
    return QuerySigningInfoResponse.decode(res.value).info!.missedBlocksCounter;
  }
  let missedAtStart = 0n;

  beforeAll(async () => {
    c = await createCluster(STAKES, { tag: 'late' });
    c.net.setDelay(`v${SLOW}`, SLOW_LINK_MS);
    for (let i = 0; i < STAKES.length; i++) await c.open(i);
    await waitFor('height 3 everywhere', () => c.nodes.every((n) => n!.host.height() >= 3), 20_000);
    missedAtStart = await missedBySlow();
    await waitFor(`height ${TOP} everywhere`, () => c.nodes.every((n) => n!.host.height() >= TOP), 30_000);
  }, 55_000);

  afterAll(async () => {
    await c?.destroy();
  });

  it("puts the slow validator's precommits into every next block's LastCommit", async () => {
    const n0 = c.nodes[0]!;
    const missing: number[] = [];
    for (let h = 4; h <= TOP; h++) {
      const block = (await n0.blockStore.loadBlock(h))!.block;
      const vals = (await n0.blockStore.loadValidators(h - 1))!;
      const idx = vals.validators.findIndex((v) => bytesEqual(v.address, slowAddress));
      expect(idx).toBeGreaterThanOrEqual(0);
      if (block.lastCommit!.signatures[idx]!.blockIdFlag === BlockIDFlag.BLOCK_ID_FLAG_ABSENT) missing.push(h - 1);
    }
    expect(missing, 'heights whose commit lacks the slow validator').toEqual([]);
  });

  it('slashing counts no missed block for the slow validator once it runs', async () => {
    expect(await missedBySlow()).toBe(missedAtStart);
  });

  it('stores the late precommits in the seen commit of the last block (served to peers, read back on restart); nobody is reported', async () => {
    const n0 = c.nodes[0]!;
    // The tip's seen commit first holds the three precommits that decided it; v3's joins it 25 ms later, before the next block.
    await waitFor("the tip's seen commit naming every validator", async () => {
      const commit = await n0.blockStore.loadCommit(n0.blockStore.height());
      return !!commit && commit.signatures.every((s) => s.blockIdFlag !== BlockIDFlag.BLOCK_ID_FLAG_ABSENT);
    }, 10_000);
    expect(c.net.reports).toEqual([]);
  });
});
