import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toHex } from '@cosmjs/encoding';
import { sha256 } from '@noble/hashes/sha2.js';
import type { ValidatorUpdate } from 'cosmjs-types/tendermint/abci/types';
import { SignedMsgType } from 'cosmjs-types/tendermint/types/types';
import { BlockIDFlag } from 'cosmjs-types/tendermint/types/validator';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBlockStore, type ChainBlockStore } from '../../app/consensus/blockstore.js';
import { commitHash, dataHash, resultsHash, txHash } from '../../app/consensus/encoding/hashes.js';
import { headerHash } from '../../app/consensus/encoding/hashes.js';
import { addMs, compareTimestamps, timestampFromMs } from '../../app/consensus/encoding/time.js';
import { createMempool, type GutsMempool } from '../../app/consensus/mempool.js';
import { generateFilePV, loadFilePV, type FilePV } from '../../app/consensus/privval.js';
import { createProducer, ProducerError, type ProducerInit, type ProducerLogger, type ProducerTimers } from '../../app/consensus/producer.js';
import type { NewBlockEvent } from '../../app/consensus/types.js';
import { hashValidatorSet } from '../../app/consensus/validators.js';
import { verifyCommit } from '../../app/consensus/verify.js';
import { tempLevel } from './helpers/level.js';
import { TestApp } from './helpers/test-app.js';

const CHAIN = 'guts-test-1';
const T0 = 1_700_000_000_000;
const enc = new TextEncoder();

class FakeTimers implements ProducerTimers {
  pending: Array<{ fn: () => void; ms: number; id: number }> = [];
  private next = 0;
  setTimeout(fn: () => void, ms: number) {
    const id = ++this.next;
    this.pending.push({ fn, ms, id });
    return id;
  }
  clearTimeout(id: unknown) {
    this.pending = this.pending.filter((p) => p.id !== id);
  }
  /** Run the earliest timer; returns its delay. */
  fire(): number {
    const t = this.pending.shift();
    if (!t) throw new Error('no timer pending');
    t.fn();
    return t.ms;
  }
}

interface Env {
  lvl: Awaited<ReturnType<typeof tempLevel>>;
  dir: string;
  pv: FilePV;
  app: TestApp;
  store: ChainBlockStore;
  mempool: GutsMempool;
  clock: { ms: number };
  errors: string[];
  logger: ProducerLogger;
  producer(overrides?: Partial<ProducerInit>): ReturnType<typeof createProducer>;
}

async function setup(): Promise<Env> {
  const lvl = await tempLevel();
  const dir = await mkdtemp(join(tmpdir(), 'guts-producer-'));
  const pv = await generateFilePV(join(dir, 'key.json'), join(dir, 'state.json'));
  const app = new TestApp([{ pubKey: { ed25519: pv.pubKey }, power: 10n }]);
  app.persist = (ops) => lvl.write(ops);
  const store = await createBlockStore(lvl.sublevels());
  const mempool = createMempool({ app });
  const clock = { ms: T0 };
  const errors: string[] = [];
  const logger: ProducerLogger = { info: () => undefined, warn: () => undefined, error: (_o, msg) => errors.push(msg ?? '') };
  const env: Env = {
    lvl, dir, pv, app, store, mempool, clock, errors, logger,
    producer: (o = {}) =>
      createProducer({
        app: env.app, blockStore: env.store, mempool: env.mempool, privValidator: env.pv, chainId: CHAIN,
        genesisTime: timestampFromMs(T0), now: () => env.clock.ms, logger, ...o,
      }),
  };
  return env;
}

/** Check every stored block links to its parent, hashes correctly and carries a valid commit. */
async function auditChain(env: Env, upTo: number) {
  let prev: NewBlockEvent['block'] | undefined;
  for (let h = 1; h <= upTo; h++) {
    const sb = (await env.store.loadBlock(h))!;
    const hdr = sb.block.header;
    expect(toHex(headerHash(hdr)!)).toBe(toHex(sb.blockId.hash));
    expect(toHex(hdr.dataHash)).toBe(toHex(dataHash(sb.block.data.txs)));
    expect(toHex(hdr.lastCommitHash)).toBe(toHex(commitHash(sb.block.lastCommit!.signatures)));
    const vals = (await env.store.loadValidators(h))!;
    expect(toHex(hdr.validatorsHash)).toBe(toHex(hashValidatorSet(vals)));
    expect(toHex(hdr.nextValidatorsHash)).toBe(toHex(hashValidatorSet((await env.store.loadValidators(h + 1))!)));
    const commit = (await env.store.loadCommit(h))!;
    expect(verifyCommit(CHAIN, vals, sb.blockId, h, commit)).toBeGreaterThan(0n);
    if (prev) {
      const prevResults = (await env.store.loadResults(h - 1))!;
      expect(hdr.lastBlockId).toEqual(prev.blockId);
      expect(toHex(hdr.appHash)).toBe(toHex(prevResults.appHash));
      expect(toHex(hdr.lastResultsHash)).toBe(toHex(resultsHash(prevResults.txResults)));
      expect(compareTimestamps(hdr.time, prev.block.header.time)).toBeGreaterThan(0);
      // BFT time: the block's time is the (only) precommit timestamp of the previous commit.
      expect(hdr.time).toEqual(sb.block.lastCommit!.signatures.find((s) => s.blockIdFlag === BlockIDFlag.BLOCK_ID_FLAG_COMMIT)!.timestamp);
    } else {
      expect(hdr.time).toEqual(timestampFromMs(T0));
      expect(sb.block.lastCommit!.signatures).toEqual([]);
    }
    prev = sb;
  }
}

describe('single-validator producer', () => {
  let env: Env;
  beforeEach(async () => {
    env = await setup();
  });
  afterEach(async () => {
    await env.lvl.destroy();
    await rm(env.dir, { recursive: true, force: true });
  });

  it('produces a verifiable chain: headers link, hashes match and every commit verifies', async () => {
    const p = env.producer();
    const events: NewBlockEvent[] = [];
    p.onBlock((ev) => events.push(ev));
    await p.produceBlock();
    for (const t of ['alice:0', 'bob:0', 'alice:1']) expect((await env.mempool.add(enc.encode(t))).code).toBe(0);
    env.clock.ms += 1000;
    await p.produceBlock();
    await env.mempool.add(enc.encode('alice:2'));
    // A wall clock that goes backwards still yields increasing block times.
    env.clock.ms -= 60_000;
    await p.produceBlock();
    env.clock.ms += 120_000;
    await p.produceBlock();

    expect(p.height()).toBe(4);
    expect(events.map((e) => e.block.block.data.txs.length)).toEqual([0, 3, 1, 0]);
    expect(env.mempool.size()).toBe(0);
    expect(env.app.height).toBe(4);
    await auditChain(env, 4);

    const time = async (h: number) => (await env.store.loadBlock(h))!.block.header.time;
    expect(await time(2)).toEqual(timestampFromMs(T0 + 1)); // genesis time + 1 ms: the clock had not moved
    expect(await time(3)).toEqual(timestampFromMs(T0 + 1000));
    expect(await time(4)).toEqual(addMs(await time(3), 1)); // clock behind: block time + 1 ms
    const tx = await env.store.txByHash(txHash(enc.encode('bob:0')));
    expect(tx).toMatchObject({ height: 2, index: 1 });
    expect((await env.store.searchTxs("transfer.sender='alice'", 1, 10, 'asc')).total).toBe(3);
    expect((await env.store.searchBlocks("block.txs='3'", 1, 10, 'asc')).heights).toEqual([2]);

    // FinalizeBlock saw the decided last commit with our vote from height 2 on.
    expect(env.app.finalized[0].decidedLastCommit.votes).toEqual([]);
    expect(env.app.finalized[1].decidedLastCommit.votes).toEqual([
      { validator: { address: env.pv.address, power: 10n }, blockIdFlag: BlockIDFlag.BLOCK_ID_FLAG_COMMIT },
    ]);
    expect(toHex(env.app.finalized[1].proposerAddress)).toBe(toHex(env.pv.address));
  });

  it('resumes after a restart from the block store, with a reloaded key, continuing the same chain', async () => {
    const p = env.producer();
    await p.produceBlock();
    await env.mempool.add(enc.encode('carol:0'));
    await p.produceBlock();
    await p.stop();

    await env.lvl.reopen();
    env.store = await createBlockStore(env.lvl.sublevels());
    env.pv = await loadFilePV(env.pv.keyFile, env.pv.stateFile);
    env.mempool = createMempool({ app: env.app });
    const again = env.producer();
    expect(again.height()).toBe(2);
    await env.mempool.add(enc.encode('carol:1'));
    env.clock.ms += 500;
    await again.produceBlock();
    await again.produceBlock();
    expect(env.store.height()).toBe(4);
    await auditChain(env, 4);
  });

  it('refuses to start when the app is behind the block store', async () => {
    const p = env.producer();
    await p.produceBlock();
    await p.produceBlock();
    env.app.height = 1;
    const fresh = createProducer({
      app: env.app, blockStore: env.store, mempool: env.mempool, privValidator: env.pv, chainId: CHAIN, genesisTime: timestampFromMs(T0),
    });
    await expect(fresh.start()).rejects.toBeInstanceOf(ProducerError);
    await expect(fresh.start()).rejects.toThrow(/app is at height 1 but the block store at 2/);
  });

  it('refuses to start when this node does not hold the validator key', async () => {
    const other = await generateFilePV(join(env.dir, 'k2.json'), join(env.dir, 's2.json'));
    const p = env.producer({ privValidator: other });
    await expect(p.start()).rejects.toThrow(/more than 2\/3/);
  });

  it('runs on its timer, waits for genesis time, and stop waits for the block in flight', async () => {
    const timers = new FakeTimers();
    env.clock.ms = T0 - 5000;
    const p = env.producer({ timers, blockInterval: 250 });
    const blocks: number[] = [];
    let resolveNext: () => void = () => undefined;
    p.onBlock((ev) => {
      blocks.push(Number(ev.block.block.header.height));
      resolveNext();
    });
    const next = () => new Promise<void>((r) => (resolveNext = r));
    await p.start();
    expect(timers.pending.map((t) => t.ms)).toEqual([5000]);
    env.clock.ms = T0;
    let waiting = next();
    timers.fire();
    await waiting;
    await p.stop(); // waits for the scheduling that follows the block
    expect(timers.pending).toEqual([]);
    await p.start();
    waiting = next();
    expect(timers.fire()).toBe(0);
    await waiting;
    while (timers.pending.length === 0) await new Promise((r) => setTimeout(r, 2));
    expect(timers.pending.map((t) => t.ms)).toEqual([250]);
    waiting = next();
    timers.fire();
    const stopping = p.stop();
    await waiting;
    await stopping;
    expect(blocks).toEqual([1, 2, 3]);
  });

  it('without empty blocks, produces only for txs and for the block that commits their app hash', async () => {
    const timers = new FakeTimers();
    const p = env.producer({ timers, createEmptyBlocks: false, blockInterval: 100 });
    const blocks: number[] = [];
    p.onBlock((ev) => blocks.push(ev.block.block.data.txs.length));
    await p.start();
    // Wait (in real time) until the producer has scheduled its next tick.
    const settle = async () => {
      while (timers.pending.length === 0) await new Promise((r) => setTimeout(r, 2));
    };
    for (let i = 0; i < 4; i++) {
      timers.fire();
      await settle();
    }
    expect(blocks).toEqual([0]); // the first block only
    await env.mempool.add(enc.encode('dave:0'));
    for (let i = 0; i < 4; i++) {
      timers.fire();
      await settle();
    }
    expect(blocks).toEqual([0, 1, 0]); // the tx, then the proof block for the new app hash
    await p.stop();
  });

  it('applies validator updates at H+2 and refuses updates that would take away its majority', async () => {
    const stranger = { pubKey: { ed25519: sha256(enc.encode('stranger')) }, power: 1n };
    const ours = (power: bigint): ValidatorUpdate => ({ pubKey: { ed25519: env.pv.pubKey }, power });
    env.app.validatorUpdatesAt.set(2, [ours(20n), stranger]);
    env.app.validatorUpdatesAt.set(3, [ours(0n)]);
    env.app.validatorUpdatesAt.set(4, [{ ...stranger, power: 100n }]);
    const p = env.producer();
    for (let h = 1; h <= 6; h++) await p.produceBlock();
    await auditChain(env, 6);
    const powers = async (h: number) => (await env.store.loadValidators(h))!.validators.map((v) => v.votingPower);
    expect(await powers(3)).toEqual([10n]);
    expect(await powers(4)).toEqual([20n, 1n]);
    expect(await powers(6)).toEqual([20n, 1n]);
    expect(env.errors).toHaveLength(2);
    const c4 = (await env.store.loadCommit(4))!;
    expect(c4.signatures.map((s) => s.blockIdFlag)).toEqual([BlockIDFlag.BLOCK_ID_FLAG_COMMIT, BlockIDFlag.BLOCK_ID_FLAG_ABSENT]);
    expect(env.app.finalized[4].decidedLastCommit.votes.map((v) => v.blockIdFlag)).toEqual([BlockIDFlag.BLOCK_ID_FLAG_COMMIT, BlockIDFlag.BLOCK_ID_FLAG_ABSENT]);
  });

  it('moves to the next round when the key already signed a different block at this height', async () => {
    const p = env.producer();
    await p.produceBlock();
    // A previous run signed a precommit for some other block at height 2 and crashed before committing.
    await env.pv.signVote(CHAIN, {
      type: SignedMsgType.SIGNED_MSG_TYPE_PRECOMMIT, height: 2n, round: 0,
      blockId: { hash: new Uint8Array(32).fill(9), partSetHeader: { total: 1, hash: new Uint8Array(32).fill(8) } },
      timestamp: timestampFromMs(T0 + 5), validatorAddress: env.pv.address, validatorIndex: 0,
      signature: new Uint8Array(0), extension: new Uint8Array(0), extensionSignature: new Uint8Array(0),
    });
    await p.produceBlock();
    await p.produceBlock();
    expect((await env.store.loadCommit(2))!.round).toBe(1);
    expect((await env.store.loadBlock(3))!.block.lastCommit!.round).toBe(1);
    await auditChain(env, 3);
  });
});
