/**
 * A chain of one validator on the consensus host without any transport (what `guts
 * devnet` runs): it decides alone, its blocks and commits verify as CometBFT's, a
 * restart resumes the same chain, without empty blocks it waits for txs, and validator
 * updates apply at H+2.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toHex } from '@cosmjs/encoding';
import type { ValidatorUpdate } from 'cosmjs-types/tendermint/abci/types';
import { afterEach, describe, expect, it } from 'vitest';
import { commitHash, dataHash, evidenceHash, headerHash, resultsHash } from '../../../app/consensus/encoding/hashes.js';
import { compareTimestamps, timestampFromMs, timestampToMs } from '../../../app/consensus/encoding/time.js';
import { Block } from 'cosmjs-types/tendermint/types/block';
import { blockIdOf } from '../../../app/consensus/encoding/block.js';
import { createEvidencePool } from '../../../app/consensus/evidence-pool.js';
import { createEd25519Verifier, ed25519KeyFromSeed } from '../../../app/consensus/engine/crypto.js';
import { buildBlock, loadChainState, validateBlock, type ProcessProposal } from '../../../app/consensus/host/index.js';
import { createBlockStore } from '../../../app/consensus/blockstore.js';
import { createConsensusHost } from '../../../app/consensus/host/index.js';
import { createMempool } from '../../../app/consensus/mempool.js';
import { generateFilePV } from '../../../app/consensus/privval.js';
import { tempLevel } from '../helpers/level.js';
import { TestApp } from '../helpers/test-app.js';
import { hashValidatorSet } from '../../../app/consensus/validators.js';
import { verifyCommit } from '../../../app/consensus/verify.js';
import { CLUSTER_CHAIN_ID, createCluster, FAST_TIMEOUTS, openClusterNode, waitFor, type Cluster, type ClusterNode } from '../../helpers/consensus-cluster.js';

let cluster: Cluster | undefined;
afterEach(async () => {
  await cluster?.destroy();
  cluster = undefined;
});

async function audit(n: ClusterNode, upTo: number): Promise<void> {
  for (let h = 1; h <= upTo; h++) {
    const sb = (await n.blockStore.loadBlock(h))!;
    const hdr = sb.block.header;
    expect(toHex(headerHash(hdr)!)).toBe(toHex(sb.blockId.hash));
    expect(toHex(hdr.dataHash)).toBe(toHex(dataHash(sb.block.data.txs)));
    expect(toHex(hdr.lastCommitHash)).toBe(toHex(commitHash(sb.block.lastCommit!.signatures)));
    const vals = (await n.blockStore.loadValidators(h))!;
    expect(toHex(hdr.validatorsHash)).toBe(toHex(hashValidatorSet(vals)));
    expect(verifyCommit(CLUSTER_CHAIN_ID, vals, sb.blockId, h, (await n.blockStore.loadCommit(h))!)).toBeGreaterThan(0n);
    if (h > 1) {
      const prev = (await n.blockStore.loadBlock(h - 1))!;
      const prevResults = (await n.blockStore.loadResults(h - 1))!;
      expect(hdr.lastBlockId).toEqual(prev.blockId);
      expect(toHex(hdr.appHash)).toBe(toHex(prevResults.appHash));
      expect(toHex(hdr.lastResultsHash)).toBe(toHex(resultsHash(prevResults.txResults)));
      expect(compareTimestamps(hdr.time, prev.block.header.time)).toBeGreaterThan(0);
    }
  }
}

describe('consensus host with one validator and no transport', () => {
  it('decides alone; blocks link and commits verify; a restart resumes the same chain', async () => {
    cluster = await createCluster([100_000n], { tag: 'single' });
    const c = cluster;
    const open = () => openClusterNode('solo', c.dirs[0]!, c.genesis, undefined);
    let n = await open();
    c.nodes[0] = n;
    await waitFor('height 3', () => n.host.height() >= 3);
    await n.close();
    const stoppedAt = n.blockStore.height();
    n = await open();
    c.nodes[0] = n;
    expect(n.host.height()).toBe(stoppedAt);
    await waitFor('two blocks after the restart', () => n.host.height() >= stoppedAt + 2);
    await audit(n, n.host.height());
  }, 30_000);

  it('without empty blocks, makes a block for txs and the one committing their app hash, then waits', async () => {
    const env = await testAppHost({ createEmptyBlocks: false });
    try {
      // block 1 is made regardless (the first block); it changes no app hash, so the host then waits
      await waitFor('the first block', () => env.host.height() >= 1);
      await sleep(600);
      const idle = env.host.height();
      expect(idle).toBe(1);
      expect((await env.mempool.add(enc.encode('alice:0'))).code).toBe(0);
      await waitFor('the tx block and the app-hash block', () => env.host.height() >= idle + 2);
      await sleep(600);
      expect(env.host.height()).toBe(idle + 2);
      expect((await env.store.loadBlock(idle + 1))!.block.data.txs.length).toBe(1);
    } finally {
      await env.close();
    }
  }, 30_000);

  it('applies validator updates from block h at h+2, with proposer priorities stored per height', async () => {
    const newcomer = ed25519KeyFromSeed(new Uint8Array(32).fill(9)).pubKey;
    const env = await testAppHost({ updates: new Map([[2, [{ pubKey: { ed25519: newcomer, secp256k1: undefined }, power: 1n }]]]) });
    try {
      await waitFor('height 5', () => env.host.height() >= 5);
      const sizes = [];
      for (let h = 1; h <= 5; h++) sizes.push((await env.store.loadValidators(h))!.validators.length);
      expect(sizes).toEqual([1, 1, 1, 2, 2]);
      const b3 = (await env.store.loadBlock(3))!.block.header;
      expect(toHex(b3.nextValidatorsHash)).toBe(toHex(hashValidatorSet((await env.store.loadValidators(4))!)));
      // two validators with 10 and 1: priorities move every height, and the stored sets carry them
      const p4 = (await env.store.loadValidators(4))!.validators.map((v) => v.proposerPriority);
      const p5 = (await env.store.loadValidators(5))!.validators.map((v) => v.proposerPriority);
      expect(p4).not.toEqual(p5);
    } finally {
      await env.close();
    }
  }, 30_000);
});

describe('validateBlock (valid(v) for the engine)', () => {
  it('accepts the block the proposer builds and refuses wrong headers, times, last commits, evidence and txs', async () => {
    const env = await testAppHost({});
    try {
      await waitFor('height 3', () => env.host.height() >= 3);
      await env.host.stop();
      const state = await loadChainState({ app: env.app, blockStore: env.store, chainId: 'guts-single-1', initialHeight: 1, genesisTime: env.genesisTime });
      const verify = createEd25519Verifier();
      const evidence = createEvidencePool({ chainId: 'guts-single-1', verify, blockStore: env.store, db: env.evidenceDb });
      const check = (b: ReturnType<typeof buildBlock>, processProposal?: ProcessProposal) => validateBlock({ state, verify, evidence, processProposal }, b.blockId, b.bytes);
      const good = buildBlock(state, env.pv.address, [enc.encode('alice:0')], []);
      expect(await check(good)).toEqual({ valid: true, timeMs: timestampToMs(good.block.header.time) });
      /** Rebuild with a mutated block (hashes recomputed as a dishonest proposer would). */
      const mutated = (f: (b: Block) => void) => {
        const b = Block.decode(good.bytes);
        f(b);
        return { block: b, ...blockIdOf(b) };
      };
      const reason = async (b: ReturnType<typeof buildBlock>, p?: ProcessProposal) => {
        const r = await check(b, p);
        return r.valid ? 'valid' : r.reason;
      };
      expect(await reason({ ...good, blockId: { ...good.blockId, hash: new Uint8Array(32) } })).toMatch(/header hash/);
      expect(await reason(mutated((b) => (b.header.appHash = new Uint8Array(32).fill(1))))).toMatch(/app hash/);
      expect(await reason(mutated((b) => (b.header.height += 1n)))).toMatch(/height/);
      expect(await reason(mutated((b) => (b.header.chainId = 'other-chain')))).toMatch(/chain id/);
      expect(await reason(mutated((b) => (b.header.time = { ...b.header.time, seconds: b.header.time.seconds + 1n })))).toMatch(/median/);
      expect(await reason(mutated((b) => (b.header.proposerAddress = new Uint8Array(20).fill(3))))).toMatch(/proposer/);
      expect(await reason(mutated((b) => (b.header.validatorsHash = new Uint8Array(32))))).toMatch(/validators hash/);
      expect(
        await reason(
          mutated((b) => {
            const sig = b.lastCommit!.signatures[0]!;
            sig.signature = new Uint8Array(64).fill(5);
            b.header.lastCommitHash = commitHash(b.lastCommit!.signatures);
          }),
        ),
      ).toMatch(/signature #0 is invalid/);
      expect(
        await reason(
          mutated((b) => {
            const vote = { type: 1, height: 2n, round: 0, blockId: state.lastBlockId, timestamp: b.header.time, validatorAddress: env.pv.address, validatorIndex: 0, signature: new Uint8Array(64), extension: new Uint8Array(0), extensionSignature: new Uint8Array(0) };
            b.evidence = { evidence: [{ duplicateVoteEvidence: { voteA: vote, voteB: { ...vote, blockId: { hash: new Uint8Array(32).fill(9), partSetHeader: { total: 1, hash: new Uint8Array(32).fill(9) } } }, totalVotingPower: 10n, validatorPower: 10n, timestamp: b.header.time } }] };
            b.header.evidenceHash = evidenceHash(b.evidence.evidence);
          }),
        ),
      ).toMatch(/evidence #0/);
      expect(await reason(good, (txs) => (txs.length > 0 ? 'tx #0 does not decode' : undefined))).toMatch(/app refused the txs: tx #0 does not decode/);
    } finally {
      await env.close();
    }
  }, 30_000);
});

const enc = new TextEncoder();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One validator over the tiny TestApp (txs `sender:seq`, app hash changes only with txs). */
async function testAppHost(o: { createEmptyBlocks?: boolean; updates?: Map<number, ValidatorUpdate[]> }) {
  const lvl = await tempLevel();
  const dir = await mkdtemp(join(tmpdir(), 'guts-host-single-'));
  const pv = await generateFilePV(join(dir, 'key.json'), join(dir, 'state.json'));
  const app = new TestApp([{ pubKey: { ed25519: pv.pubKey, secp256k1: undefined }, power: 10n }]);
  app.persist = (ops) => lvl.write(ops);
  if (o.updates) app.validatorUpdatesAt = o.updates;
  const store = await createBlockStore(lvl.sublevels());
  const mempool = createMempool({ app });
  const genesisTime = timestampFromMs(Date.now() - 1000);
  const evidenceDb = lvl.db.sublevel<Uint8Array, Uint8Array>('evidence', { keyEncoding: 'view', valueEncoding: 'view' });
  const host = createConsensusHost({
    app,
    blockStore: store,
    mempool,
    privValidator: pv,
    chainId: 'guts-single-1',
    genesisTime,
    walPath: join(dir, 'cs.wal', 'wal'),
    evidenceDb,
    engineConfig: FAST_TIMEOUTS,
    createEmptyBlocks: o.createEmptyBlocks,
  });
  await host.start();
  return {
    host,
    store,
    mempool,
    app,
    pv,
    genesisTime,
    evidenceDb,
    async close() {
      await host.stop();
      await lvl.destroy();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
