import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BlockSyncDecodeError } from '../../app/consensus/blocksync/errors.js';
import { decodeBlockSyncMessage, encodeBlockSyncMessage } from '../../app/consensus/blocksync/messages.js';
import { buildSignedChain, type ValidatorSpec } from '../../app/consensus/blocksync/signed-chain.js';
import { createBlockSync, shouldSwitchToBlocksync } from '../../app/consensus/blocksync/blocksync.js';
import { createCommitVerifier } from '../../app/consensus/blocksync/fast-verify.js';
import { createEd25519Verifier } from '../../app/consensus/engine/crypto.js';
import { runBlockSync } from './blocksync-harness.js';

/** 6 keys; the set changes at 15 (one key swapped) and 30 (powers change, one key leaves). */
function validatorsAt(h: number): ValidatorSpec[] {
  if (h < 15) return [0, 1, 2, 3].map((key) => ({ key, power: 10n }));
  if (h < 30) return [0, 1, 2, 4].map((key, i) => ({ key, power: BigInt(10 + i) }));
  return [1, 2, 4, 5].map((key, i) => ({ key, power: BigInt(5 + 7 * i) }));
}

const chain = buildSignedChain({ chainId: 'guts-sync', length: 60, keyCount: 6, validatorsAt, txsAt: (h) => [new TextEncoder().encode(`tx-${h}`)] });
const heights = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => BigInt(from + i));

describe('blocksync over in-memory peers serving a real signed chain', () => {
  it('catches up from several peers, every block verified with verify.ts and applied in order, across validator-set changes', async () => {
    const r = await runBlockSync({
      chain, validatorsAt, seed: 1,
      peers: [
        { id: 'a', behaviour: 'honest', latencyMs: 5 },
        { id: 'b', behaviour: 'honest', latencyMs: 20 },
        { id: 'c', behaviour: 'honest', latencyMs: 40, height: 45 },
      ],
    });
    expect(r.applied).toEqual(heights(1, 60));
    expect(r.caughtUpAt?.height).toBe(60n);
    expect(r.sync.status()).toMatchObject({ height: 60n, verifiedHeight: 60n, caughtUp: true });
    expect(r.reports).toEqual([]);
    expect(r.timeouts).toEqual([]);
  });

  it('resumes from the stored height, checking the first block extends the stored one', async () => {
    const r = await runBlockSync({ chain, validatorsAt, seed: 2, startHeight: 33, peers: [{ id: 'a', behaviour: 'honest', latencyMs: 5 }] });
    expect(r.applied).toEqual(heights(34, 60));
    expect(r.caughtUpAt?.height).toBe(60n);
  });

  for (const behaviour of ['bad-commit', 'wrong-block', 'other-validators', 'garbage'] as const) {
    it(`drops a lying peer (${behaviour}), reports it, and still syncs the true chain from the honest one`, async () => {
      const r = await runBlockSync({
        chain, validatorsAt, seed: 3,
        peers: [
          { id: 'liar', behaviour, latencyMs: 2 },
          { id: 'honest', behaviour: 'honest', latencyMs: 30 },
        ],
      });
      expect(r.applied).toEqual(heights(1, 60));
      expect(r.reports.map((x) => x.peer)).toEqual(['liar']);
      const expected = { 'bad-commit': 'invalid-commit', 'wrong-block': 'wrong-block', 'other-validators': 'wrong-validators', garbage: 'decode:malformed' }[behaviour];
      expect(r.reports[0].reason).toBe(expected);
    });
  }

  it('re-requests from another peer when one times out, and drops the silent one', async () => {
    const r = await runBlockSync({
      chain, validatorsAt, seed: 4,
      peers: [
        { id: 'mute', behaviour: 'silent', latencyMs: 1 },
        { id: 'ok', behaviour: 'honest', latencyMs: 10 },
      ],
      config: { requestTimeoutMs: 2_000 },
    });
    expect(r.applied).toEqual(heights(1, 60));
    expect(r.timeouts).toEqual(['mute']);
    expect(r.reports).toEqual([]);
  });

  it('a peer that lacks blocks says so and the rest come from a peer that has them', async () => {
    const r = await runBlockSync({
      chain, validatorsAt, seed: 5,
      peers: [
        { id: 'short', behaviour: 'honest', latencyMs: 1, height: 20 },
        { id: 'full', behaviour: 'honest', latencyMs: 25, height: 60 },
      ],
    });
    expect(r.applied).toEqual(heights(1, 60));
    expect(r.reports).toEqual([]);
  });

  it('with no peer at all a lone node is caught up after the startup grace', async () => {
    const r = await runBlockSync({ chain, validatorsAt, seed: 6, peers: [], startHeight: 10, config: { startupGraceMs: 5_000, caughtUpAfterMs: 1_000 } });
    expect(r.caughtUpAt).toEqual({ height: 10n, timeMs: 6_000 });
  });

  it('stays in blocksync while a peer is ahead, then hands over within one block of the highest peer', async () => {
    const r = await runBlockSync({
      chain, validatorsAt, seed: 7,
      peers: [{ id: 'a', behaviour: 'honest', latencyMs: 5, height: 30 }, { id: 'late', behaviour: 'honest', latencyMs: 5 }],
      joinAtMs: { late: 500 },
      config: { caughtUpAfterMs: 1_000 },
    });
    expect(r.caughtUpAt?.height).toBe(60n);
  });

  it('halts when the host\'s validator set disagrees with the chain instead of applying', async () => {
    const sync = createBlockSync({
      chainId: chain.chainId, height: 14n, nowMs: 0,
      validatorsAt: () => chain.at(1).validatorSet, // the state still has the old set at 15
      last: { blockId: chain.at(14).blockId, nextValidatorsHash: chain.at(14).block.header.nextValidatorsHash },
    });
    sync.peerStatus('a', 1n, 60n, 0);
    const b = chain.at(15);
    const effects = sync.blockResponse('a', 15n, b.bytes, b.commit, 10);
    expect(effects.filter((e) => e.type === 'apply')).toEqual([]);
    expect(effects.find((e) => e.type === 'halt')).toBeDefined();
    expect(sync.tick(20)).toEqual([]);
    expect(sync.status()).toMatchObject({ height: 14n, verifiedHeight: 14n, caughtUp: false });
  });

  it('counts as caught up within caughtUpMargin blocks of the best peer (default 1)', () => {
    const make = (margin?: number) =>
      createBlockSync({
        chainId: chain.chainId, height: 14n, nowMs: 0,
        validatorsAt: () => undefined,
        last: { blockId: chain.at(14).blockId, nextValidatorsHash: chain.at(14).block.header.nextValidatorsHash },
        config: margin === undefined ? { caughtUpAfterMs: 1_000 } : { caughtUpAfterMs: 1_000, caughtUpMargin: margin },
      });
    const strict = make();
    strict.peerStatus('a', 1n, 17n, 0);
    strict.tick(100);
    expect(strict.tick(1_200).filter((e) => e.type === 'caughtUp')).toEqual([]);
    const loose = make(3);
    loose.peerStatus('a', 1n, 17n, 0);
    loose.tick(100);
    expect(loose.tick(1_200).filter((e) => e.type === 'caughtUp')).toEqual([{ type: 'caughtUp', height: 14n }]);
  });

  it('asks in ranges within the per-peer in-flight limit and the pending window', () => {
    const sync = createBlockSync({ chainId: chain.chainId, height: 0n, nowMs: 0, validatorsAt: () => undefined, config: { maxBlocksPerRequest: 8, maxInFlightPerPeer: 16, maxPendingBlocks: 40 } });
    const effects = [...sync.peerStatus('a', 1n, 1000n, 0), ...sync.peerStatus('b', 1n, 1000n, 0), ...sync.peerStatus('c', 1n, 1000n, 0)];
    const reqs = effects.filter((e) => e.type === 'request');
    const perPeer = new Map<string, number>();
    for (const r of reqs) perPeer.set(r.peer, (perPeer.get(r.peer) ?? 0) + r.count);
    expect(Math.max(...perPeer.values())).toBeLessThanOrEqual(16);
    expect(reqs.every((r) => r.count <= 8)).toBe(true);
    const asked = reqs.flatMap((r) => Array.from({ length: r.count }, (_, i) => r.fromHeight + BigInt(i))).sort((x, y) => (x < y ? -1 : 1));
    expect(asked).toEqual(heights(1, 40));
    expect(sync.status().inFlight).toBe(40);
  });

  it('reports a block nobody asked for and a status with base above height', () => {
    const sync = createBlockSync({ chainId: chain.chainId, height: 0n, nowMs: 0, validatorsAt: () => undefined, config: { maxPendingBlocks: 5 } });
    sync.peerStatus('a', 1n, 60n, 0);
    const b = chain.at(50);
    expect(sync.blockResponse('a', 50n, b.bytes, b.commit, 1)).toContainEqual(expect.objectContaining({ type: 'misbehaviour', peer: 'a', reason: 'unsolicited' }));
    expect(sync.peerStatus('b', 9n, 3n, 2)).toContainEqual(expect.objectContaining({ type: 'misbehaviour', peer: 'b', reason: 'bad-status' }));
  });

  it('asks for full ranges: one block answered does not become a one-block request', () => {
    const sync = createBlockSync({ chainId: chain.chainId, height: 0n, nowMs: 0, validatorsAt: () => undefined, config: { maxBlocksPerRequest: 10, maxInFlightPerPeer: 20 } });
    expect(sync.peerStatus('a', 1n, 60n, 0).filter((e) => e.type === 'request')).toEqual([
      { type: 'request', peer: 'a', fromHeight: 1n, count: 10 },
      { type: 'request', peer: 'a', fromHeight: 11n, count: 10 },
    ]);
    const b = chain.at(1);
    expect(sync.blockResponse('a', 1n, b.bytes, b.commit, 1).filter((e) => e.type === 'request')).toEqual([]);
    let out: ReturnType<typeof sync.tick> = [];
    for (let h = 2; h <= 10; h++) out = sync.blockResponse('a', BigInt(h), chain.at(h).bytes, chain.at(h).commit, 2);
    expect(out.filter((e) => e.type === 'request')).toEqual([{ type: 'request', peer: 'a', fromHeight: 21n, count: 10 }]);
  });

  it('a node that lost every peer it had is not caught up after the startup grace: it waits for a peer', () => {
    const sync = createBlockSync({ chainId: chain.chainId, height: 0n, nowMs: 0, validatorsAt: () => undefined, config: { startupGraceMs: 5_000, caughtUpAfterMs: 0 } });
    sync.peerStatus('a', 1n, 60n, 0);
    sync.peerDown('a', 100);
    expect(sync.tick(10_000)).toEqual([]);
    expect(sync.status().caughtUp).toBe(false);
  });

  it('reports a peer that claims a height and then has no block at it, and re-asks another peer for its heights', () => {
    const sync = createBlockSync({ chainId: chain.chainId, height: 0n, nowMs: 0, validatorsAt: () => undefined, config: { maxPendingBlocks: 5 } });
    const asked = sync.peerStatus('liar', 1n, 1_000_000n, 0);
    expect(asked).toContainEqual({ type: 'request', peer: 'liar', fromHeight: 1n, count: 5 });
    sync.peerStatus('honest', 1n, 60n, 1);
    const out = sync.noBlock('liar', 3n, 2);
    expect(out).toContainEqual(expect.objectContaining({ type: 'misbehaviour', peer: 'liar', reason: 'lying-height' }));
    // its heights go to the honest peer, and its claim no longer counts
    expect(out).toContainEqual({ type: 'request', peer: 'honest', fromHeight: 1n, count: 5 });
    expect(sync.status().maxPeerHeight).toBe(60n);
    expect(sync.peerStatus('liar', 1n, 1_000_000n, 3)).toEqual([]);
    expect(sync.status().maxPeerHeight).toBe(60n);
  });
});

describe('blocksync under corrupted responses', () => {
  const response = encodeBlockSyncMessage({ type: 'blockResponse', blocks: chain.blocks.slice(0, 5).map((b) => ({ block: b.bytes, commit: b.commit })) });
  const fast = createCommitVerifier(createEd25519Verifier());

  it('a response with any byte changed is refused by the codec or the pool, or is still the true block with a valid commit', () => {
    fc.assert(
      fc.property(fc.nat(response.length - 1), fc.integer({ min: 1, max: 255 }), (i, x) => {
        const bytes = Uint8Array.from(response);
        bytes[i] ^= x;
        let applied = 0n;
        const sync = createBlockSync({ chainId: chain.chainId, height: 0n, nowMs: 0, verifyCommit: fast, validatorsAt: (h) => (h <= applied + 2n ? chain.at(h).validatorSet : undefined) });
        sync.peerStatus('p', 1n, 60n, 0);
        let m;
        try {
          m = decodeBlockSyncMessage(bytes);
        } catch (e) {
          expect(e).toBeInstanceOf(BlockSyncDecodeError);
          return;
        }
        if (m.type !== 'blockResponse') return;
        for (const b of m.blocks) {
          for (const e of sync.blockResponse('p', b.commit.height, b.block, b.commit, 1)) {
            if (e.type !== 'apply') continue;
            // a flipped byte the block id does not cover (an absent vote's unused fields, a commit timestamp's
            // unsigned part) may leave a valid block: whatever is applied is the true block with a valid commit
            expect(Buffer.from(e.blockId.hash)).toEqual(Buffer.from(chain.at(e.height).blockId.hash));
            expect(fast(chain.chainId, chain.at(e.height).validatorSet, e.blockId, e.height, e.commit)).toBeGreaterThan(0n);
            applied = e.height;
            sync.applied(e.height, 2);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('switching from consensus to blocksync', () => {
  it('switches when a third of the peers are at least two heights ahead', () => {
    expect(shouldSwitchToBlocksync(10n, [12n, 10n, 11n])).toBe(true);
    expect(shouldSwitchToBlocksync(10n, [11n, 11n, 10n])).toBe(false);
    expect(shouldSwitchToBlocksync(10n, [1000n, 10n, 10n, 10n])).toBe(false);
    expect(shouldSwitchToBlocksync(10n, [])).toBe(false);
    expect(shouldSwitchToBlocksync(10n, [15n])).toBe(true);
    expect(shouldSwitchToBlocksync(10n, [15n, 10n], { minLag: 10n })).toBe(false);
  });

  it('a node that switched back to consensus and fell behind again catches up through blocksync', async () => {
    const r1 = await runBlockSync({ chain, validatorsAt, seed: 8, peers: [{ id: 'a', behaviour: 'honest', latencyMs: 5, height: 25 }] });
    expect(r1.caughtUpAt?.height).toBe(25n);
    expect(shouldSwitchToBlocksync(25n, [60n, 60n])).toBe(true);
    const r2 = await runBlockSync({ chain, validatorsAt, seed: 9, startHeight: 25, peers: [{ id: 'a', behaviour: 'honest', latencyMs: 5 }, { id: 'b', behaviour: 'honest', latencyMs: 9 }] });
    expect(r2.applied).toEqual(heights(26, 60));
  });
});

describe('the fast commit verifier', () => {
  it('gives the same verdicts as verify.ts on the chain', () => {
    const fast = createCommitVerifier(createEd25519Verifier());
    for (const b of chain.blocks.slice(0, 10)) expect(fast(chain.chainId, b.validatorSet, b.blockId, b.height, b.commit)).toBe(b.validatorSet.totalVotingPower);
  });
});
