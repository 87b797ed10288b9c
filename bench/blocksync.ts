/**
 * Blocksync throughput: verify + apply-callback blocks per second on a generated chain
 * of 20 validators (unequal power, the set changing every 100 blocks), three in-process
 * peers answering through the real codec, and an apply callback that does nothing (the
 * real FinalizeBlock is measured by the integrator). Two commit verifiers: verify.ts's
 * `verifyCommit` (noble, browser-safe, the default) and `createCommitVerifier` over
 * node:crypto (what a Node host passes). Baseline in the same run: the verifier alone
 * over the same commits, so the pool's own overhead shows. Issue 5's goal: ≥50 blocks/s.
 *
 *   npm run build && node dist/bench/blocksync.js [blocks]
 */
import { loadavg, availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import { createBlockSync } from '../app/consensus/blocksync/blocksync.js';
import { createCommitVerifier } from '../app/consensus/blocksync/fast-verify.js';
import { decodeBlockSyncMessage, encodeBlockSyncMessage } from '../app/consensus/blocksync/messages.js';
import { buildSignedChain, type SignedChain } from '../app/consensus/blocksync/signed-chain.js';
import type { BlockSyncEffect, CommitVerifier } from '../app/consensus/blocksync/types.js';
import { createEd25519Verifier } from '../app/consensus/engine/crypto.js';
import { verifyCommit } from '../app/consensus/verify.js';

const VALIDATORS = 20;

function makeChain(blocks: number): SignedChain {
  return buildSignedChain({
    chainId: 'guts-bench',
    length: blocks,
    keyCount: VALIDATORS + 5,
    validatorsAt: (h) => {
      const shift = Math.floor(h / 100);
      return Array.from({ length: VALIDATORS }, (_, i) => ({ key: (i + shift) % (VALIDATORS + 5), power: BigInt(100 + ((i * 37) % 50)) }));
    },
    txsAt: (h) => Array.from({ length: 10 }, (_, i) => new TextEncoder().encode(`bench-tx-${h}-${i}-`.padEnd(200, 'x'))),
  });
}

export interface Measured {
  blocks: number;
  wall_ms: number;
  cpu_ms: number;
  blocks_per_s: number;
  blocks_per_cpu_s: number;
}

function measure(blocks: number, run: () => void): Measured {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  run();
  const wall = performance.now() - t0;
  const c = process.cpuUsage(cpu0);
  const cpu = (c.user + c.system) / 1000;
  return { blocks, wall_ms: Math.round(wall), cpu_ms: Math.round(cpu), blocks_per_s: Math.round((blocks / wall) * 1000), blocks_per_cpu_s: Math.round((blocks / cpu) * 1000) };
}

/** Drive a BlockSync to the chain's tip with synchronous in-process peers. */
function syncAll(chain: SignedChain, verify: CommitVerifier): void {
  const n = chain.blocks.length;
  let applied = 0n;
  let now = 0;
  const sync = createBlockSync({ chainId: chain.chainId, height: 0n, nowMs: 0, verifyCommit: verify, validatorsAt: (h) => (h <= applied + 2n && h <= BigInt(n) ? chain.at(h).validatorSet : undefined) });
  const queue: BlockSyncEffect[] = [];
  for (const p of ['a', 'b', 'c']) queue.push(...sync.peerStatus(p, 1n, BigInt(n), now));
  let caughtUp = false;
  while (!caughtUp) {
    const e = queue.shift();
    if (!e) {
      now += 100;
      queue.push(...sync.tick(now));
      continue;
    }
    if (e.type === 'request') {
      const blocks = Array.from({ length: e.count }, (_, i) => chain.at(e.fromHeight + BigInt(i))).map((b) => ({ block: b.bytes, commit: b.commit }));
      const m = decodeBlockSyncMessage(encodeBlockSyncMessage({ type: 'blockResponse', blocks }));
      if (m.type !== 'blockResponse') throw new Error('codec');
      for (const b of m.blocks) queue.push(...sync.blockResponse(e.peer, b.commit.height, b.block, b.commit, now));
    } else if (e.type === 'apply') {
      applied = e.height; // the apply callback: nothing to execute here
      queue.push(...sync.applied(e.height, now));
    } else if (e.type === 'caughtUp') caughtUp = true;
    else if (e.type === 'misbehaviour' || e.type === 'halt' || e.type === 'peerTimedOut') throw new Error(`unexpected ${e.type}`);
  }
  if (applied < BigInt(n - 1)) throw new Error(`stopped at ${applied}`);
}

export function runBlocksyncBench(blocks: number) {
  const t0 = performance.now();
  const chain = makeChain(blocks);
  const buildMs = Math.round(performance.now() - t0);
  const fast = createCommitVerifier(createEd25519Verifier());
  const verifierOnly = (v: CommitVerifier) => () => {
    for (const b of chain.blocks) v(chain.chainId, b.validatorSet, b.blockId, b.height, b.commit);
  };
  // the noble path is ~15× slower: measure it on a prefix so the run stays short
  const nobleBlocks = Math.min(blocks, 120);
  const prefix = { ...chain, blocks: chain.blocks.slice(0, nobleBlocks) } as SignedChain;
  return {
    validators: VALIDATORS,
    blocks,
    txs_per_block: 10,
    block_bytes: chain.blocks[1].bytes.length,
    chain_build_ms: buildMs,
    node_crypto: {
      blocksync: measure(blocks, () => syncAll(chain, fast)),
      baseline_verify_only: measure(blocks, verifierOnly(fast)),
    },
    noble: {
      blocksync: measure(nobleBlocks, () => syncAll(prefix, verifyCommit)),
      baseline_verify_only: measure(nobleBlocks, () => {
        for (const b of prefix.blocks) verifyCommit(chain.chainId, b.validatorSet, b.blockId, b.height, b.commit);
      }),
    },
    goal_blocks_per_s: 50,
    cores: availableParallelism(),
    load_avg: Number(loadavg()[0].toFixed(2)),
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const blocks = Number(process.argv[2] ?? 600);
  console.log(JSON.stringify(runBlocksyncBench(blocks), null, 2));
}
