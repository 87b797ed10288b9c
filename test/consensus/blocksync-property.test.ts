/**
 * Seeded simulations: random peer mixes (honest peers with random latencies and
 * heights, liars of every kind), random start heights, a chain whose validator set
 * changes. The node must apply exactly the true chain (the harness checks every block
 * id), report only liars, and hand over within one block of the best honest peer.
 */
import fc from 'fast-check';
import type { Commit } from 'cosmjs-types/tendermint/types/types';
import type { BlockIDFlag } from 'cosmjs-types/tendermint/types/validator';
import { describe, expect, it } from 'vitest';
import { buildSignedChain, type ValidatorSpec } from '../../app/consensus/blocksync/signed-chain.js';
import { createCommitVerifier } from '../../app/consensus/blocksync/fast-verify.js';
import { createEd25519Verifier } from '../../app/consensus/engine/crypto.js';
import { CommitVerificationError, verifyCommit } from '../../app/consensus/verify.js';
import { runBlockSync, type Behaviour, type SimPeerSpec } from './blocksync-harness.js';

function validatorsAt(h: number): ValidatorSpec[] {
  const shift = Math.floor(h / 12);
  return [0, 1, 2, 3, 4].map((k, i) => ({ key: (k + shift) % 7, power: BigInt(3 + ((i + shift) % 4) * 5) }));
}
const chain = buildSignedChain({ chainId: 'guts-sync-prop', length: 80, keyCount: 7, validatorsAt });
const fast = createCommitVerifier(createEd25519Verifier());

const liarArb = fc.constantFrom<Behaviour>('bad-commit', 'wrong-block', 'other-validators', 'silent', 'garbage');

describe('blocksync seeded simulations', () => {
  it('syncs the true chain from any mix of honest peers and liars', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ latencyMs: fc.integer({ min: 1, max: 80 }), height: fc.integer({ min: 20, max: 80 }) }), { minLength: 1, maxLength: 3 }),
        fc.array(fc.record({ behaviour: liarArb, latencyMs: fc.integer({ min: 1, max: 80 }) }), { maxLength: 2 }),
        fc.integer({ min: 0, max: 15 }),
        fc.integer({ min: 1, max: 1 << 30 }),
        async (honest, liars, start, seed) => {
          const peers: SimPeerSpec[] = [
            ...honest.map((h, i) => ({ id: `honest-${i}`, behaviour: 'honest' as const, ...h })),
            ...liars.map((l, i) => ({ id: `liar-${i}`, ...l })),
          ];
          const best = Math.max(...honest.map((h) => h.height));
          const r = await runBlockSync({ chain, validatorsAt, peers, seed, startHeight: start, verifyCommit: fast, config: { requestTimeoutMs: 3_000 }, maxTimeMs: 120_000 });
          expect(r.halted).toBeUndefined();
          expect(r.caughtUpAt).toBeDefined();
          expect(r.caughtUpAt!.height).toBeGreaterThanOrEqual(BigInt(Math.max(best - 1, start)));
          expect(r.applied[0] ?? BigInt(start + 1)).toBe(BigInt(start + 1));
          expect(r.reports.every((x) => x.peer.startsWith('liar'))).toBe(true);
          expect(r.timeouts.every((x) => x.startsWith('liar'))).toBe(true);
        },
      ),
      { numRuns: 25 },
    );
  });

  it('the fast verifier gives verify.ts\'s verdict on any tampered commit', () => {
    const tamper = fc.record({
      at: fc.integer({ min: 1, max: 80 }),
      index: fc.nat(4),
      kind: fc.constantFrom('sig-byte', 'flag-absent', 'flag-nil', 'flag-bogus', 'address', 'timestamp', 'drop', 'height', 'none'),
    });
    fc.assert(
      fc.property(tamper, ({ at, index, kind }) => {
        const b = chain.at(at);
        const sigs = b.commit.signatures.map((s) => ({ ...s }));
        const s = sigs[index];
        let commit: Commit = { ...b.commit, signatures: sigs };
        switch (kind) {
          case 'sig-byte': s.signature = s.signature.map((x, i) => (i === 3 ? x ^ 8 : x)); break;
          case 'flag-absent': s.blockIdFlag = 1; break;
          case 'flag-nil': s.blockIdFlag = 3; break;
          case 'flag-bogus': s.blockIdFlag = 7 as BlockIDFlag; break;
          case 'address': s.validatorAddress = new Uint8Array(20).fill(1); break;
          case 'timestamp': s.timestamp = { ...s.timestamp, nanos: s.timestamp.nanos + 1 }; break;
          case 'drop': commit = { ...commit, signatures: sigs.slice(1) }; break;
          case 'height': commit = { ...commit, height: commit.height + 1n }; break;
        }
        const verdict = (f: () => unknown) => {
          try {
            return String(f());
          } catch (e) {
            if (e instanceof CommitVerificationError) return e.reason;
            throw e;
          }
        };
        expect(verdict(() => fast(chain.chainId, b.validatorSet, b.blockId, b.height, commit))).toBe(verdict(() => verifyCommit(chain.chainId, b.validatorSet, b.blockId, b.height, commit)));
      }),
      { numRuns: 150 },
    );
  });
});
