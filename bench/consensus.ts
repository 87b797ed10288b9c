/**
 * Consensus figures from the deterministic simulator (issue 5): simulated finality and
 * messages per height for 20 and 100 validators on the four-region latency matrix,
 * against the same validators all in one region (the baseline), and ed25519 vote
 * verifications per second through node:crypto against noble (the browser-safe
 * baseline). Finality is simulated time, so it does not depend on this machine; the
 * verification rates do.
 *
 *   npm run build && npm run bench:consensus
 *
 * Definitions (per honest node and height):
 * - block finality: decision time minus the block's proposal time (its header time);
 * - tx finality: a tx's arrival at a node until that node commits the block holding it
 *   (waiting for the next proposal included; timeout_commit is 1 s);
 * - block interval: time between a node's consecutive commits.
 */
import { loadavg } from 'node:os';
import { pathToFileURL } from 'node:url';
import { SignedMsgType, type Vote } from 'cosmjs-types/tendermint/types/types';
import { voteSignBytes } from '../app/consensus/encoding/canonical.js';
import { timestampFromMs } from '../app/consensus/encoding/time.js';
import { verifyEd25519 } from '../app/consensus/ed25519.js';
import { createEd25519Verifier, ed25519KeyFromSeed } from '../app/consensus/engine/crypto.js';
import { runScenario } from '../app/consensus/sim/run.js';
import { benchScenario } from '../app/consensus/sim/scenario.js';
import { REGIONS, type Region } from '../app/consensus/sim/regions.js';
import { runBlocksyncBench } from './blocksync.js';

const TARGET = { p50_ms: 1500, p99_ms: 3000 };

function pct(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : 0;
}

function dist(xs: number[]): { p50: number; p99: number; n: number } {
  const s = [...xs].sort((a, b) => a - b);
  return { p50: pct(s, 50), p99: pct(s, 99), n: s.length };
}

export interface FinalityRun {
  validators: number;
  regions: string;
  heights: number;
  block_finality_ms: { p50: number; p99: number; n: number };
  tx_finality_ms: { p50: number; p99: number; n: number };
  block_interval_ms: { p50: number; p99: number; n: number };
  messages_per_height: number;
  rounds_above_zero: number;
  ok: boolean;
}

function finality(n: number, regions: readonly Region[], durationMs: number): FinalityRun {
  const r = runScenario(benchScenario(7, n, regions, durationMs));
  const rounds = r.stats.decisionRounds;
  return {
    validators: n,
    regions: regions.length === 1 ? regions[0] : 'four-region',
    heights: r.height,
    block_finality_ms: dist(r.stats.finalityMs),
    tx_finality_ms: dist(r.stats.txFinalityMs),
    block_interval_ms: dist(r.stats.blockIntervalMs),
    messages_per_height: Math.round(r.stats.messages / Math.max(1, r.height)),
    rounds_above_zero: rounds.filter((x) => x > 0).length,
    ok: r.ok,
  };
}

function votes(count: number): Array<{ pub: Uint8Array; msg: Uint8Array; sig: Uint8Array }> {
  const keys = Array.from({ length: 100 }, (_, i) => ed25519KeyFromSeed(new Uint8Array(32).fill(i + 1)));
  return Array.from({ length: count }, (_, i) => {
    const k = keys[i % keys.length];
    const v: Vote = {
      type: SignedMsgType.SIGNED_MSG_TYPE_PRECOMMIT,
      height: BigInt(1000 + i),
      round: 0,
      blockId: { hash: new Uint8Array(32).fill(i & 0xff), partSetHeader: { total: 1, hash: new Uint8Array(32).fill(7) } },
      timestamp: timestampFromMs(1_700_000_000_000 + i),
      validatorAddress: new Uint8Array(20),
      validatorIndex: i % keys.length,
      signature: new Uint8Array(0),
      extension: new Uint8Array(0),
      extensionSignature: new Uint8Array(0),
    };
    const msg = voteSignBytes('guts-bench', v);
    return { pub: k.pubKey, msg, sig: k.sign(msg) };
  });
}

/** Verifications per wall second and per CPU second (the latter holds up when other processes share the cores). */
function rate(items: ReturnType<typeof votes>, verify: (pub: Uint8Array, msg: Uint8Array, sig: Uint8Array) => boolean): { wall: number; cpu: number } {
  const t = performance.now();
  const cpu0 = process.cpuUsage();
  for (const it of items) if (!verify(it.pub, it.msg, it.sig)) throw new Error('a valid vote failed verification');
  const cpu = process.cpuUsage(cpu0);
  return { wall: Math.round((items.length / (performance.now() - t)) * 1000), cpu: Math.round((items.length / ((cpu.user + cpu.system) / 1000)) * 1000) };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export function runConsensusBench(opts: { seconds20?: number; seconds100?: number; verifications?: number; blocksyncBlocks?: number } = {}) {
  const s20 = (opts.seconds20 ?? 60) * 1000;
  const s100 = (opts.seconds100 ?? 30) * 1000;
  const runs = [
    finality(20, REGIONS, s20),
    finality(20, ['us-east'], s20),
    finality(100, REGIONS, s100),
    finality(100, ['us-east'], s100),
  ];
  const n = opts.verifications ?? 6000;
  const items = votes(n);
  const nodeVerify = createEd25519Verifier();
  const noble = (pub: Uint8Array, msg: Uint8Array, sig: Uint8Array) => verifyEd25519(sig, msg, pub);
  const node: Array<{ wall: number; cpu: number }> = [];
  const nob: Array<{ wall: number; cpu: number }> = [];
  for (let i = 0; i < 3; i++) {
    node.push(rate(items, nodeVerify));
    nob.push(rate(items.slice(0, Math.ceil(n / 5)), noble));
  }
  const nodeWall = median(node.map((r) => r.wall));
  const nobleWall = median(nob.map((r) => r.wall));
  const nodeCpu = median(node.map((r) => r.cpu));
  const nobleCpu = median(nob.map((r) => r.cpu));
  const four20 = runs[0];
  return {
    finality: runs,
    target_20_validators_four_region: {
      ...TARGET,
      block_finality_met: four20.block_finality_ms.p50 <= TARGET.p50_ms && four20.block_finality_ms.p99 <= TARGET.p99_ms,
      tx_finality_met: four20.tx_finality_ms.p50 <= TARGET.p50_ms && four20.tx_finality_ms.p99 <= TARGET.p99_ms,
    },
    ed25519_vote_verify_per_s: { node_crypto: nodeWall, noble_baseline: nobleWall, speedup: Math.round((nodeWall / nobleWall) * 10) / 10, votes: n },
    ed25519_vote_verify_per_cpu_s: { node_crypto: nodeCpu, noble_baseline: nobleCpu, speedup: Math.round((nodeCpu / nobleCpu) * 10) / 10 },
    // blocksync core (verify + hand-over, no app execution) on a 20-validator chain; bench/blocksync.ts prints the details
    blocksync: runBlocksyncBench(opts.blocksyncBlocks ?? 300),
    load_avg: Math.round(loadavg()[0] * 10) / 10,
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.stdout.write(`${JSON.stringify(runConsensusBench(), null, 2)}\n`);
}
