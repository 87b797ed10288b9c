/**
 * Late precommits (issue 5): a validator whose precommits reach the others only after
 * they already hold +2/3 is still live. Its precommits must land in the stored commit and
 * in the next block's LastCommit, so slashing (which reads those signatures) never counts
 * it as missing. Four equal validators, real app, keys, WAL and LevelDB over the
 * in-memory network; v3's precommits are held back until v0 has committed their height
 * (or 300 ms passed), then delivered: after the decision, before the next proposal.
 */
import { BlockIDFlag } from 'cosmjs-types/tendermint/types/validator';
import { SignedMsgType } from 'cosmjs-types/tendermint/types/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ed25519KeyFromSeed } from '../../app/consensus/engine/crypto.js';
import { decodeWire, TAG_VOTE } from '../../app/consensus/host/index.js';
import { addressFromEd25519, bytesEqual } from '../../app/consensus/validators.js';
import { QuerySigningInfoRequest, QuerySigningInfoResponse } from '../../proto/gen/guts/slashing/v1/query.js';
import { consensusSeed, createCluster, waitFor, type Cluster } from '../helpers/consensus-cluster.js';

const STAKES = [100_000n, 100_000n, 100_000n, 100_000n];
const SLOW = 3;
const TOP = 12;
/** Held precommits go out after this even if v0 has not committed (so a round that needs them is not stalled). */
const HOLD_MAX_MS = 300;

/** v3's precommits reach the others only once v0 committed their height. */
function holdPrecommits(c: Cluster): () => void {
  const released = new WeakSet<Uint8Array>();
  const held = new Map<number, Uint8Array[]>();
  const precommitHeight = (bytes: Uint8Array): number | undefined => {
    if (bytes[0] !== TAG_VOTE) return undefined;
    const m = decodeWire(bytes);
    return m.type === 'vote' && m.vote.type === SignedMsgType.SIGNED_MSG_TYPE_PRECOMMIT ? Number(m.vote.height) : undefined;
  };
  const release = (h: number) => {
    for (const b of held.get(h) ?? []) {
      const copy = b.slice();
      released.add(copy);
      c.net.inject(`v${SLOW}`, copy);
    }
    held.delete(h);
  };
  c.net.setLoss((from, _to, bytes) => from === `v${SLOW}` && !released.has(bytes) && precommitHeight(bytes) !== undefined);
  const offTap = c.net.tap((from, bytes) => {
    if (from !== `v${SLOW}` || released.has(bytes)) return;
    const h = precommitHeight(bytes);
    if (h === undefined) return;
    held.set(h, [...(held.get(h) ?? []), bytes]);
    if (c.nodes[0]!.host.height() >= h) release(h);
    else setTimeout(() => release(h), HOLD_MAX_MS);
  });
  const offBlock = c.nodes[0]!.host.onBlock((ev) => release(Number(ev.block.block.header.height)));
  return () => {
    offTap();
    offBlock();
    c.net.setLoss(undefined);
  };
}

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
  let stopHolding = () => {};

  beforeAll(async () => {
    c = await createCluster(STAKES, { tag: 'late' });
    for (let i = 0; i < STAKES.length; i++) await c.open(i);
    stopHolding = holdPrecommits(c);
    await waitFor('height 3 everywhere', () => c.nodes.every((n) => n!.host.height() >= 3), 20_000);
    missedAtStart = await missedBySlow();
    await waitFor(`height ${TOP} everywhere`, () => c.nodes.every((n) => n!.host.height() >= TOP), 30_000);
  }, 55_000);

  afterAll(async () => {
    stopHolding();
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

  it('stores the late precommits in the seen commit of the last block, kept across a restart; nobody is reported', async () => {
    // The chain stops (v0 and v3 hold half of the power), so v0's last block stays the last one.
    c.net.setConnected('v1', false);
    c.net.setConnected('v2', false);
    const n0 = c.nodes[0]!;
    const namesAll = async (store: typeof n0.blockStore, h: number) => (await store.loadCommit(h))?.signatures.every((s) => s.blockIdFlag !== BlockIDFlag.BLOCK_ID_FLAG_ABSENT) ?? false;
    // Its seen commit first holds the three precommits that decided it; v3's joins it once released.
    await waitFor("the last block's seen commit naming every validator", () => namesAll(n0.blockStore, n0.blockStore.height()), 10_000);
    const tip = n0.blockStore.height();
    await n0.close();
    c.nodes[0] = undefined;
    const reopened = await c.open(0);
    expect(await namesAll(reopened.blockStore, tip)).toBe(true);
    expect(c.net.reports).toEqual([]);
  });
});
