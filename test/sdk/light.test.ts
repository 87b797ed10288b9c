import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildSignedChain, type ValidatorSpec } from '../../app/consensus/blocksync/signed-chain.js';
import { voteSignBytes } from '../../app/consensus/encoding/canonical.js';
import { headerHash } from '../../app/consensus/encoding/hashes.js';
import { verifyEd25519 } from '../../app/consensus/ed25519.js';
import { blockIdFromJson, commitFromJson, headerFromJson, valsetFromGenesis } from '../consensus/helpers/comet-json.js';
import {
  CheckpointConflictError,
  checkpointSignBytes,
  createTrustStore,
  LightClientError,
  trustFromCheckpoint,
  validateSignedHeader,
  verifyAdjacent,
  verifyCheckpoint,
  verifyCheckpointForLightBlock,
  verifyLightBlock,
  verifyNonAdjacent,
  verifyToHeight,
  type LightBlock,
  type TrustOptions,
} from '../../sdk/light/index.js';
import { fetcherOf, lightBlockOf, outcome, signCheckpoint, timeMsOf } from './light-helpers.js';

const DAY = 86_400_000;
const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../consensus/fixtures/${name}`, import.meta.url), 'utf8'));

describe('light client against a recorded CometBFT 0.38 chain', () => {
  const genesis = fixture('v0_38_genesis.json').result.genesis;
  const signed = fixture('v0_38_commit_at_height_10.json').result.signed_header;
  const block1 = fixture('v0_38_block_at_height_1.json').result.block;
  const vals = valsetFromGenesis(genesis);
  const sh10 = { header: headerFromJson(signed.header), commit: commitFromJson(signed.commit) };
  // VerifyNonAdjacent reads only the trusted header and set; the commit of block 1 was not recorded.
  const trusted: LightBlock = { signedHeader: { header: headerFromJson(block1.header), commit: sh10.commit }, validatorSet: vals };
  const untrusted: LightBlock = { signedHeader: sh10, validatorSet: vals };
  const options: TrustOptions = { chainId: 'dockerchain', trustingPeriodMs: 14 * DAY };
  const nowMs = Date.parse(signed.header.time) + 5_000;

  it('skips from height 1 to height 10 with the recorded commit', () => {
    validateSignedHeader(sh10, 'dockerchain');
    expect(() => verifyNonAdjacent({ trusted, untrusted, options, nowMs })).not.toThrow();
    expect(headerHash(sh10.header)).toEqual(blockIdFromJson(fixture('v0_38_block_at_height_10.json').result.block_id).hash);
  });

  it('refuses the recorded header with a changed app hash, another chain id, or once the trust expired', async () => {
    const changed: LightBlock = { ...untrusted, signedHeader: { ...sh10, header: { ...sh10.header, appHash: new Uint8Array(8).fill(1) } } };
    expect(await outcome(() => verifyNonAdjacent({ trusted, untrusted: changed, options, nowMs }))).toBe('invalid-header');
    expect(await outcome(() => verifyNonAdjacent({ trusted, untrusted, options: { ...options, chainId: 'otherchain' }, nowMs }))).toBe('wrong-chain');
    expect(await outcome(() => verifyNonAdjacent({ trusted, untrusted, options, nowMs: nowMs + 15 * DAY }))).toBe('trusted-header-expired');
    expect(await outcome(() => verifyNonAdjacent({ trusted, untrusted, options, nowMs: nowMs - 60_000 }))).toBe('header-from-future');
  });
});

/** 8 keys; the set moves by one key every 5 heights, then is replaced at 21 ({4..7}) and shrinks at 31 ({5,6,7}): nothing of height 1's set is left. */
function changingSets(h: number): ValidatorSpec[] {
  if (h <= 20) {
    const shift = Math.floor((h - 1) / 5);
    return [0, 1, 2, 3].map((k, i) => ({ key: (k + shift) % 8, power: BigInt(10 + i) }));
  }
  if (h <= 30) return [4, 5, 6, 7].map((key) => ({ key, power: 10n }));
  return [5, 6, 7].map((key, i) => ({ key, power: BigInt(5 + i * 20) }));
}

describe('a signed chain with validator-set changes', () => {
  const chain = buildSignedChain({ chainId: 'guts-light', length: 40, keyCount: 8, validatorsAt: changingSets });
  const options: TrustOptions = { chainId: 'guts-light', trustingPeriodMs: 30 * DAY };
  const nowMs = timeMsOf(chain.at(40)) + 1_000;

  it('verifies every height adjacently', () => {
    for (let h = 2; h <= 40; h++) {
      verifyAdjacent({ trusted: lightBlockOf(chain.at(h - 1)), untrusted: lightBlockOf(chain.at(h)), options, nowMs });
    }
  });

  it('skips within a slowly changing set and refuses to skip across a replaced one', async () => {
    verifyNonAdjacent({ trusted: lightBlockOf(chain.at(1)), untrusted: lightBlockOf(chain.at(9)), options, nowMs });
    expect(await outcome(() => verifyNonAdjacent({ trusted: lightBlockOf(chain.at(1)), untrusted: lightBlockOf(chain.at(25)), options, nowMs }))).toBe('not-enough-trust');
  });

  it('bisects from 1 to 40 through the set replacements', async () => {
    const asked: bigint[] = [];
    const { lightBlock, trace } = await verifyToHeight({ trusted: lightBlockOf(chain.at(1)), targetHeight: 40n, fetchLightBlock: fetcherOf(chain, asked), options, nowMs });
    expect(lightBlock.signedHeader.header.height).toBe(40n);
    expect(headerHash(lightBlock.signedHeader.header)).toEqual(chain.at(40).blockId.hash);
    expect(trace.length).toBeGreaterThan(3);
    expect(asked.length).toBeLessThan(39);
    for (let i = 1; i < trace.length; i++) verifyLightBlock({ trusted: trace[i - 1], untrusted: trace[i], options, nowMs });
  });

  it('refuses a fetcher that answers for another height or fails', async () => {
    const wrong = async () => lightBlockOf(chain.at(7));
    expect(await outcome(() => verifyToHeight({ trusted: lightBlockOf(chain.at(1)), targetHeight: 9n, fetchLightBlock: wrong, options, nowMs }))).toBe('fetch-failed');
    const failing = async () => {
      throw new Error('connection refused');
    };
    expect(await outcome(() => verifyToHeight({ trusted: lightBlockOf(chain.at(1)), targetHeight: 9n, fetchLightBlock: failing, options, nowMs }))).toBe('fetch-failed');
    expect(await outcome(() => verifyToHeight({ trusted: lightBlockOf(chain.at(40)), targetHeight: 3n, fetchLightBlock: fetcherOf(chain), options, nowMs, maxFetches: 10 }))).toBe('invalid-options');
  });

  it('verifies below the trusted height by hash links and refuses a header that is not linked', async () => {
    const { lightBlock, trace } = await verifyToHeight({ trusted: lightBlockOf(chain.at(24)), targetHeight: 17n, fetchLightBlock: fetcherOf(chain), options, nowMs });
    expect(headerHash(lightBlock.signedHeader.header)).toEqual(chain.at(17).blockId.hash);
    expect(trace.map((b) => b.signedHeader.header.height)).toEqual([24n, 23n, 22n, 21n, 20n, 19n, 18n, 17n]);
    const other = buildSignedChain({ chainId: 'guts-light', length: 40, keyCount: 8, validatorsAt: changingSets, txsAt: (h) => (h === 20 ? [new Uint8Array([1])] : []) });
    const mixed = async (h: bigint) => lightBlockOf((h === 20n ? other : chain).at(h));
    expect(await outcome(() => verifyToHeight({ trusted: lightBlockOf(chain.at(24)), targetHeight: 17n, fetchLightBlock: mixed, options, nowMs }))).toBe('invalid-header');
  });

  it('refuses a trust level outside [1/3, 1] and a supplied set that is not the header\'s', async () => {
    const bad = { ...options, trustLevel: { numerator: 1n, denominator: 4n } };
    expect(await outcome(() => verifyNonAdjacent({ trusted: lightBlockOf(chain.at(1)), untrusted: lightBlockOf(chain.at(9)), options: bad, nowMs }))).toBe('invalid-options');
    const otherSet = { ...lightBlockOf(chain.at(9)), validatorSet: chain.at(25).validatorSet };
    expect(await outcome(() => verifyAdjacent({ trusted: lightBlockOf(chain.at(8)), untrusted: otherSet, options, nowMs }))).toBe('validators-mismatch');
  });
});

describe('checkpoints', () => {
  const chain = buildSignedChain({ chainId: 'guts-cp', length: 12, keyCount: 4, validatorsAt: () => [0, 1, 2, 3].map((key) => ({ key, power: 10n })) });
  // The same validators sign a second history from height 6 on (a long-range fork with old keys).
  const fork = buildSignedChain({
    chainId: 'guts-cp', length: 12, keyCount: 4, validatorsAt: () => [0, 1, 2, 3].map((key) => ({ key, power: 10n })),
    txsAt: (h) => (h >= 6 ? [new TextEncoder().encode(`fork-${h}`)] : []),
  });
  const options: TrustOptions = { chainId: 'guts-cp', trustingPeriodMs: 30 * DAY };
  const nowMs = timeMsOf(chain.at(12)) + 1_000;

  it('accepts a checkpoint signed by more than 2/3 and refuses 2/3 or less, a bad signature or another chain', async () => {
    const vals = chain.at(8).validatorSet;
    expect(verifyCheckpoint({ checkpoint: signCheckpoint(chain, 8, [0, 1, 2]), validatorSet: vals, chainId: 'guts-cp' })).toBe(30n);
    expect(await outcome(() => verifyCheckpoint({ checkpoint: signCheckpoint(chain, 8, [0, 1]), validatorSet: vals, chainId: 'guts-cp' }))).toBe('invalid-checkpoint');
    const cp = signCheckpoint(chain, 8);
    cp.signatures[2] = { ...cp.signatures[2], signature: cp.signatures[2].signature.map((b, i) => (i === 5 ? b ^ 4 : b)) };
    expect(await outcome(() => verifyCheckpoint({ checkpoint: cp, validatorSet: vals, chainId: 'guts-cp' }))).toBe('invalid-checkpoint');
    const twice = signCheckpoint(chain, 8, [0, 1]);
    twice.signatures.push(twice.signatures[0]);
    expect(await outcome(() => verifyCheckpoint({ checkpoint: twice, validatorSet: vals, chainId: 'guts-cp' }))).toBe('invalid-checkpoint');
    expect(await outcome(() => verifyCheckpoint({ checkpoint: signCheckpoint(chain, 8), validatorSet: vals, chainId: 'guts-other' }))).toBe('wrong-chain');
  });

  it('a checkpoint signature is not a precommit signature for the same header', () => {
    const b = chain.at(8);
    const cp = signCheckpoint(chain, 8, [0]);
    const bytes = checkpointSignBytes(cp);
    const vote = voteSignBytes('guts-cp', { type: 2, height: 8n, round: 0, blockId: b.blockId, timestamp: b.block.header.time });
    expect([bytes[1], vote[1]]).toEqual([0x75, 0x08]); // 'u' after the prefix's first byte; a CanonicalVote's first tag
    expect(verifyEd25519(cp.signatures[0].signature, bytes, b.validatorSet.validators[0].pubKey.ed25519!)).toBe(true);
    expect(verifyEd25519(cp.signatures[0].signature, vote, b.validatorSet.validators[0].pubKey.ed25519!)).toBe(false);
  });

  it('a validly signed checkpoint of the fork conflicts with the verified header', async () => {
    const err = await outcome(() => verifyCheckpointForLightBlock({ checkpoint: signCheckpoint(fork, 8), lightBlock: lightBlockOf(chain.at(8)), chainId: 'guts-cp' }));
    expect(err).toBe('checkpoint-conflict');
    expect(verifyCheckpointForLightBlock({ checkpoint: signCheckpoint(chain, 8), lightBlock: lightBlockOf(chain.at(8)), chainId: 'guts-cp' })).toBe(40n);
  });

  it('refuses a history that conflicts with a trusted checkpoint, even one its validators signed', async () => {
    const store = createTrustStore({ chainId: 'guts-cp', trusted: [signCheckpoint(chain, 8)] });
    // the fork is validly signed: without the checkpoint a client would accept it
    await verifyToHeight({ trusted: lightBlockOf(fork.at(2)), targetHeight: 12n, fetchLightBlock: fetcherOf(fork), options, nowMs });
    const attempt = verifyToHeight({ trusted: lightBlockOf(fork.at(2)), targetHeight: 12n, fetchLightBlock: fetcherOf(fork), options, nowMs, trustStore: store });
    await expect(attempt).rejects.toBeInstanceOf(CheckpointConflictError);
    await expect(attempt).rejects.toMatchObject({ code: 'checkpoint-conflict', height: 8n });
    expect(() => store.checkHeader(fork.at(8).block.header)).toThrow(CheckpointConflictError);
    const ok = await verifyToHeight({ trusted: lightBlockOf(chain.at(2)), targetHeight: 12n, fetchLightBlock: fetcherOf(chain), options, nowMs, trustStore: store });
    expect(ok.trace.map((b) => b.signedHeader.header.height)).toContain(8n);
  });

  it('the trust store refuses a second checkpoint at the same height with another hash, and adds only signed ones', async () => {
    const store = createTrustStore({ chainId: 'guts-cp', trusted: [signCheckpoint(chain, 8)] });
    expect(() => store.add(signCheckpoint(fork, 8), fork.at(8).validatorSet)).toThrow(CheckpointConflictError);
    expect(await outcome(() => store.add(signCheckpoint(chain, 10, [0]), chain.at(10).validatorSet))).toBe('invalid-checkpoint');
    store.add(signCheckpoint(chain, 10), chain.at(10).validatorSet);
    expect(store.list().map((c) => c.height)).toEqual([8n, 10n]);
    expect(() => createTrustStore({ chainId: 'guts-cp', trusted: [signCheckpoint(chain, 8), signCheckpoint(fork, 8)] })).toThrow(CheckpointConflictError);
  });

  it('starts trusting from a checkpoint only with the header it names', async () => {
    const cp = signCheckpoint(chain, 6);
    const root = trustFromCheckpoint({ checkpoint: cp, lightBlock: lightBlockOf(chain.at(6)), chainId: 'guts-cp' });
    const { lightBlock } = await verifyToHeight({ trusted: root, targetHeight: 12n, fetchLightBlock: fetcherOf(chain), options, nowMs });
    expect(lightBlock.signedHeader.header.height).toBe(12n);
    expect(() => trustFromCheckpoint({ checkpoint: cp, lightBlock: lightBlockOf(fork.at(6)), chainId: 'guts-cp' })).toThrow(CheckpointConflictError);
    expect(await outcome(() => verifyToHeight({ trusted: root, targetHeight: 12n, fetchLightBlock: fetcherOf(chain), options, nowMs: nowMs + 31 * DAY }))).toBe('trusted-header-expired');
  });

  it('errors carry a code, a short message and a docs path', async () => {
    try {
      verifyCheckpoint({ checkpoint: signCheckpoint(chain, 8, [0]), validatorSet: chain.at(8).validatorSet, chainId: 'guts-cp' });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(LightClientError);
      expect(e).toMatchObject({ name: 'LightClientError', code: 'invalid-checkpoint', docsPath: '/sdk/light' });
      expect((e as LightClientError).shortMessage).toMatch(/not more than 2\/3/);
    }
  });
});

describe('browser safety', () => {
  it('sdk/light and everything it imports use no Node built-ins or globals and only browser-safe packages', () => {
    const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
    const allowed = [/^@noble\//, /^cosmjs-types\//];
    const seen = new Set<string>();
    const bad: string[] = [];
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const src = readFileSync(file, 'utf8');
      for (const g of src.matchAll(/\b(Buffer|process|require|__dirname)\s*[.(]/g)) bad.push(`${file.slice(root.length)} uses ${g[1]}`);
      for (const m of src.matchAll(/(?:^|\n)\s*(?:import|export)[^'"]*?from\s+'([^']+)'/g)) {
        const spec = m[1];
        if (spec.startsWith('.')) visit(join(dirname(file), spec.replace(/\.js$/, '.ts')));
        else if (!allowed.some((r) => r.test(spec))) bad.push(`${file.slice(root.length)} imports ${spec}`);
      }
    };
    visit(join(root, 'sdk/light/index.ts'));
    expect(seen.size).toBeGreaterThan(8);
    expect(bad).toEqual([]);
  });
});
