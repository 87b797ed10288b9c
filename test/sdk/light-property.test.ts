/**
 * Properties of the light client over random real signed chains: random validator sets
 * (1-5 of 7 keys, powers 1-100) changing at random heights, random signer subsets above
 * 2/3. Signatures are real ed25519; verification is the SDK's (noble, ZIP-215).
 */
import fc from 'fast-check';
import type { ValidatorSet } from 'cosmjs-types/tendermint/types/validator';
import { describe, expect, it } from 'vitest';
import { buildSignedChain, signCommit, type SignedChain, type ValidatorSpec } from '../../app/consensus/blocksync/signed-chain.js';
import { headerHash } from '../../app/consensus/encoding/hashes.js';
import { CheckpointConflictError, createTrustStore, LightClientError, verifyAdjacent, verifyNonAdjacent, verifyToHeight, type LightBlock, type TrustOptions } from '../../sdk/light/index.js';
import { fetcherOf, lightBlockOf, outcome, signCheckpoint, timeMsOf } from './light-helpers.js';

const DAY = 86_400_000;
const KEYS = 7;

const setArb = fc
  .uniqueArray(fc.integer({ min: 0, max: KEYS - 1 }), { minLength: 1, maxLength: 5 })
  .chain((keys) => fc.tuple(fc.constant(keys), fc.array(fc.integer({ min: 1, max: 100 }), { minLength: keys.length, maxLength: keys.length })))
  .map(([keys, powers]) => keys.map((key, i): ValidatorSpec => ({ key, power: BigInt(powers[i]) })));

/** A chain spec: length, the set of each segment (changes at random heights), and a seed for signer choice. */
const chainSpecArb = fc.record({
  length: fc.integer({ min: 6, max: 12 }),
  sets: fc.array(setArb, { minLength: 1, maxLength: 4 }),
  changes: fc.array(fc.integer({ min: 2, max: 12 }), { minLength: 3, maxLength: 3 }),
  signerSeed: fc.integer({ min: 0, max: 1 << 30 }),
});
type ChainSpec = typeof chainSpecArb extends fc.Arbitrary<infer T> ? T : never;

/** Signers above 2/3: validators in a seeded order until the power passes 2/3, plus maybe one more. */
function signersAbove(set: ValidatorSet, seed: number, height: number): number[] {
  const order = set.validators.map((_, i) => i).sort((a, b) => ((a * 7919 + seed + height * 31) % 97) - ((b * 7919 + seed + height * 31) % 97));
  let power = 0n;
  const out: number[] = [];
  for (const i of order) {
    if (power * 3n > set.totalVotingPower * 2n) break;
    out.push(i);
    power += set.validators[i].votingPower;
  }
  if (out.length < order.length && seed % 2 === 0) out.push(order[out.length]);
  return out;
}

function buildFrom(spec: ChainSpec, chainId = 'guts-prop', txsAt?: (h: number) => Uint8Array[]): SignedChain {
  const changes = [...new Set(spec.changes)].sort((a, b) => a - b);
  return buildSignedChain({
    chainId,
    length: spec.length,
    keyCount: KEYS,
    validatorsAt: (h) => spec.sets[changes.filter((c) => c <= h).length % spec.sets.length],
    signersAt: (h, set) => signersAbove(set, spec.signerSeed, h),
    txsAt,
  });
}

const optionsFor = (chain: SignedChain): TrustOptions => ({ chainId: chain.chainId, trustingPeriodMs: 30 * DAY });
const nowFor = (chain: SignedChain) => timeMsOf(chain.blocks[chain.blocks.length - 1]) + 1_000;

describe('light client properties over random signed chains', () => {
  it('a valid chain verifies adjacently at every height and by skipping from any height to any later one', async () => {
    await fc.assert(
      fc.asyncProperty(chainSpecArb, fc.nat(), fc.nat(), async (spec, a, b) => {
        const chain = buildFrom(spec);
        const options = optionsFor(chain);
        const nowMs = nowFor(chain);
        for (let h = 2; h <= spec.length; h++) verifyAdjacent({ trusted: lightBlockOf(chain.at(h - 1)), untrusted: lightBlockOf(chain.at(h)), options, nowMs });
        const from = 1 + (a % spec.length);
        const to = from + (b % (spec.length - from + 1));
        const { lightBlock, trace } = await verifyToHeight({ trusted: lightBlockOf(chain.at(from)), targetHeight: BigInt(to), fetchLightBlock: fetcherOf(chain), options, nowMs });
        expect(headerHash(lightBlock.signedHeader.header)).toEqual(chain.at(to).blockId.hash);
        expect(trace[0].signedHeader.header.height).toBe(BigInt(from));
      }),
      { numRuns: 12 },
    );
  });

  const tamperArb = fc.constantFrom('app-hash', 'time', 'last-block-id', 'next-validators-hash', 'proposer', 'signature', 'validator-power', 'insufficient-power', 'other-chain-signature');

  it('any tampered header, signature, validator set or under-powered commit is refused, adjacently and by bisection', async () => {
    await fc.assert(
      fc.asyncProperty(chainSpecArb, fc.nat(), tamperArb, async (spec, at, kind) => {
        const chain = buildFrom(spec);
        const options = optionsFor(chain);
        const nowMs = nowFor(chain);
        const h = 2 + (at % (spec.length - 1));
        const good = lightBlockOf(chain.at(h));
        const header = { ...good.signedHeader.header };
        let { commit } = good.signedHeader;
        let validatorSet = good.validatorSet;
        const set = good.validatorSet;
        const resign = (signers: number[], chainId = chain.chainId) => signCommit(chainId, chain.keys, set, BigInt(h), chain.at(h).blockId, timeMsOf(chain.at(h)), signers);
        switch (kind) {
          case 'app-hash': header.appHash = header.appHash.map((x, i) => (i === 0 ? x ^ 1 : x)); break;
          case 'time': header.time = { ...header.time, nanos: header.time.nanos + 1 }; break;
          case 'last-block-id': header.lastBlockId = { ...header.lastBlockId, hash: new Uint8Array(32).fill(7) }; break;
          case 'next-validators-hash': header.nextValidatorsHash = new Uint8Array(32).fill(9); break;
          case 'proposer': header.proposerAddress = new Uint8Array(20).fill(3); break;
          case 'signature': {
            const first = commit.signatures.findIndex((s) => s.blockIdFlag === 2);
            commit = { ...commit, signatures: commit.signatures.map((s, i) => (i === first ? { ...s, signature: s.signature.map((x, j) => (j === 10 ? x ^ 0x20 : x)) } : s)) };
            break;
          }
          case 'validator-power': {
            const vals = set.validators.map((v, i) => (i === 0 ? { ...v, votingPower: v.votingPower + 1n } : v));
            validatorSet = { ...set, validators: vals, totalVotingPower: set.totalVotingPower + 1n };
            break;
          }
          case 'insufficient-power': {
            const signers: number[] = [];
            let power = 0n;
            for (let i = 0; i < set.validators.length; i++) {
              const next = power + set.validators[i].votingPower;
              if (next * 3n > set.totalVotingPower * 2n) continue;
              signers.push(i);
              power = next;
            }
            commit = resign(signers);
            break;
          }
          case 'other-chain-signature': commit = resign(set.validators.map((_, i) => i), 'guts-other'); break;
        }
        const bad: LightBlock = { signedHeader: { header, commit }, validatorSet };
        const adjacent = await outcome(() => verifyAdjacent({ trusted: lightBlockOf(chain.at(h - 1)), untrusted: bad, options, nowMs }));
        expect(adjacent).not.toBe('accepted');
        const fetch = async (height: bigint) => (height === BigInt(h) ? bad : lightBlockOf(chain.at(height)));
        const bisect = await outcome(() => verifyToHeight({ trusted: lightBlockOf(chain.at(1)), targetHeight: BigInt(h), fetchLightBlock: fetch, options, nowMs }));
        expect(bisect).not.toBe('accepted');
      }),
      { numRuns: 30 },
    );
  });

  it('skipping refuses unless more than 1/3 of the trusted power signed the new header, and bisection then goes through', async () => {
    await fc.assert(
      fc.asyncProperty(setArb, setArb, async (a, b) => {
        // heights 1-2 are signed by set a, 3-4 by set b (header 2 names b as next)
        const chain = buildSignedChain({ chainId: 'guts-skip', length: 4, keyCount: KEYS, validatorsAt: (h) => (h <= 2 ? a : b) });
        const options = optionsFor(chain);
        const nowMs = nowFor(chain);
        const bKeys = new Set(b.map((s) => s.key));
        const carried = a.filter((s) => bKeys.has(s.key)).reduce((sum, s) => sum + s.power, 0n);
        const total = a.reduce((sum, s) => sum + s.power, 0n);
        const skip = await outcome(() => verifyNonAdjacent({ trusted: lightBlockOf(chain.at(1)), untrusted: lightBlockOf(chain.at(4)), options, nowMs }));
        expect(skip).toBe(carried * 3n > total ? 'accepted' : 'not-enough-trust');
        const asked: bigint[] = [];
        const { lightBlock } = await verifyToHeight({ trusted: lightBlockOf(chain.at(1)), targetHeight: 4n, fetchLightBlock: fetcherOf(chain, asked), options, nowMs });
        expect(lightBlock.signedHeader.header.height).toBe(4n);
        if (skip !== 'accepted') expect(asked.length).toBeGreaterThan(1);
      }),
      { numRuns: 25 },
    );
  });

  it('a header that conflicts with a trusted checkpoint is refused wherever the fork starts before it', async () => {
    await fc.assert(
      fc.asyncProperty(chainSpecArb, fc.nat(), fc.nat(), fc.nat(), async (spec, f, c, t) => {
        const forkAt = 2 + (f % (spec.length - 1));
        const cpHeight = 2 + (c % (spec.length - 1));
        const target = cpHeight + (t % (spec.length - cpHeight + 1));
        const chain = buildFrom(spec);
        const fork = buildFrom(spec, 'guts-prop', (h) => (h >= forkAt ? [new TextEncoder().encode(`fork-${h}`)] : []));
        const store = createTrustStore({ chainId: chain.chainId, trusted: [signCheckpoint(chain, cpHeight)] });
        const run = () => verifyToHeight({ trusted: lightBlockOf(fork.at(1)), targetHeight: BigInt(target), fetchLightBlock: fetcherOf(fork), options: optionsFor(chain), nowMs: nowFor(chain), trustStore: store });
        if (forkAt <= cpHeight) {
          await expect(run()).rejects.toBeInstanceOf(CheckpointConflictError);
        } else {
          const { lightBlock } = await run();
          expect(lightBlock.signedHeader.header.height).toBe(BigInt(target));
        }
      }),
      { numRuns: 15 },
    );
  });

  it('a fetcher answering with malformed structures gets a LightClientError, never a crash', async () => {
    const chain = buildFrom({ length: 6, sets: [[{ key: 0, power: 5n }, { key: 1, power: 7n }]], changes: [12, 12, 12], signerSeed: 2 });
    const paths = [
      ['signedHeader'], ['validatorSet'], ['validatorSet', 'validators'], ['validatorSet', 'validators', 0], ['validatorSet', 'validators', 0, 'pubKey'],
      ['signedHeader', 'header'], ['signedHeader', 'commit'], ['signedHeader', 'header', 'time'], ['signedHeader', 'header', 'version'],
      ['signedHeader', 'header', 'lastBlockId'], ['signedHeader', 'header', 'lastBlockId', 'partSetHeader'], ['signedHeader', 'header', 'appHash'],
      ['signedHeader', 'header', 'chainId'], ['signedHeader', 'commit', 'signatures'], ['signedHeader', 'commit', 'signatures', 0],
      ['signedHeader', 'commit', 'signatures', 0, 'timestamp'], ['signedHeader', 'commit', 'signatures', 0, 'signature'], ['signedHeader', 'commit', 'blockId'],
    ];
    const setPath = (o: unknown, path: (string | number)[], v: unknown): unknown => {
      if (path.length === 0) return v;
      const [k, ...rest] = path;
      const copy = (Array.isArray(o) ? [...o] : { ...(o as object) }) as Record<string | number, unknown>;
      copy[k] = setPath((o as Record<string | number, unknown>)?.[k], rest, v);
      return copy;
    };
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...paths), fc.anything({ withBigInt: true, withTypedArray: true, withNullPrototype: true }), async (path, junk) => {
        const fetch = async (h: bigint) => (h === 5n ? (setPath(lightBlockOf(chain.at(5)), path, junk) as LightBlock) : lightBlockOf(chain.at(h)));
        try {
          await verifyToHeight({ trusted: lightBlockOf(chain.at(2)), targetHeight: 5n, fetchLightBlock: fetch, options: optionsFor(chain), nowMs: nowFor(chain) });
        } catch (e) {
          expect(e).toBeInstanceOf(LightClientError);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('every refusal is a LightClientError with a known code', async () => {
    const chain = buildFrom({ length: 6, sets: [[{ key: 0, power: 5n }]], changes: [12, 12, 12], signerSeed: 1 });
    const err = await verifyToHeight({ trusted: lightBlockOf(chain.at(3)), targetHeight: 5n, fetchLightBlock: fetcherOf(chain), options: optionsFor(chain), nowMs: 0 }).catch((e) => e);
    expect(err).toBeInstanceOf(LightClientError);
    expect(err.code).toBe('header-from-future');
  });
});
