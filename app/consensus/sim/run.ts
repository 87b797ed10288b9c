/**
 * Runs one scenario: builds the validators and the simulated network, plays the
 * scripted faults on the discrete-event queue, and returns the checker's verdict and
 * figures. Deterministic: the seed fixes every random draw and every event order.
 */
import type { ValidatorSet } from 'cosmjs-types/tendermint/types/validator';
// The chain's fix for cosmjs-types' 8 KiB-per-encoding BinaryWriter.alloc (the node loads it through app.ts).
import '../../chain/protobuf-alloc.js';
import { addressFromEd25519 } from '../validators.js';
import { FLOOD_INTERVAL_MS, floodOnce } from './byzantine.js';
import { Checker, type RunStats } from './checks.js';
import { makeKeyring } from './keys.js';
import { SimNode } from './node.js';
import { EventQueue } from './queue.js';
import { oneWayMs } from './regions.js';
import { Rng } from './rng.js';
import type { Scenario } from './scenario.js';
import type { Cluster, NetMessage, Observer } from './types.js';
import { ValidatorSchedules } from './valset.js';

const EPOCH_MS = 1_700_000_000_000;
/** How often a node whose round has not moved re-sends its own messages (the peer layer's gossip). */
const GOSSIP_STUCK_MS = 1000;
/** The simulator's maxBlockBytes (the flood's oversized proposals exceed it). */
const SIM_MAX_BLOCK_BYTES = 65_536;

export interface SimResult {
  seed: number;
  validators: number;
  byzantine: number;
  ok: boolean;
  violations: string[];
  height: number;
  /** Distinct equivocations whose evidence is in a committed block. */
  evidenceCommitted: number;
  stats: RunStats;
  simulatedMs: number;
}

function connected(sc: Scenario, t: number, a: number, b: number): boolean {
  for (const p of sc.partitions) if (t >= p.at && t < p.until && p.groups[a] !== p.groups[b]) return false;
  return true;
}

export function runScenario(sc: Scenario): SimResult {
  const rng = new Rng(sc.seed ^ 0x5eed);
  const netRng = rng.fork();
  const queue = new EventQueue();
  let now = 0;
  const keyring = makeKeyring(sc.crypto, sc.seed, sc.powers.length);
  const genesis = keyring.keys.map((k, i) => ({ address: addressFromEd25519(k.pubKey), pubKey: { ed25519: k.pubKey }, votingPower: sc.powers[i], proposerPriority: 0n }));
  const byzantine = new Set(sc.behaviours.map((b, i) => (b === 'honest' ? -1 : i)).filter((i) => i >= 0));
  const schedules = new ValidatorSchedules(genesis, byzantine, sc.valsetEvery);
  const validatorsAt = (h: bigint): ValidatorSet => schedules.validatorsAt(h);
  let checker: Checker | undefined;
  const observer: Observer = {
    sent: (f, t, m) => checker!.sent(f, t, m),
    delivered: (t, m) => checker!.delivered(t, m),
    committed: (n, h, d) => {
      schedules.record(h, d.blockId.hash);
      checker!.committed(n, h, d);
    },
    evidence: (n, e) => checker!.evidence(n, e),
    misbehaviour: (n, p, r) => checker!.misbehaviour(n, p, r),
    refusedSign: (n, r) => checker!.refusedSign(n, r),
    halted: (n, r) => checker!.halted(n, r),
    engineError: (n, e) => checker!.engineError(n, e),
  };
  const nodes: SimNode[] = [];
  const n = sc.powers.length;
  const latency = new Int32Array(n * n);
  for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) latency[a * n + b] = oneWayMs(sc.regions[a], sc.regions[b]);
  const deliver = (from: number, to: number, m: NetMessage, delay: number) => {
    queue.push(now + delay, () => {
      if (!connected(sc, now, from, to)) return;
      checker!.delivered(to, m);
      nodes[to].receive(from, m);
      checker!.afterDelivery(to, m);
    });
  };
  const cluster: Cluster = {
    chainId: 'guts-sim',
    now: () => now,
    wallNow: () => EPOCH_MS + now,
    at: (delay, fn) => queue.push(now + delay, fn),
    send(from, to, m) {
      checker!.sent(from, to, m);
      if (!connected(sc, now, from, to) || netRng.chance(sc.lossPermille)) return;
      const base = latency[from * nodes.length + to];
      deliver(from, to, m, base + netRng.int(sc.jitterMs + 1));
      if (netRng.chance(sc.dupPermille)) deliver(from, to, m, base + netRng.int(sc.jitterMs * 4 + 20));
    },
    broadcast(from, m) {
      for (let to = 0; to < nodes.length; to++) if (to !== from) cluster.send(from, to, m);
    },
    size: () => nodes.length,
    validatorsAt,
    genesisTimeMs: () => EPOCH_MS,
    verify: keyring.verify,
    engineConfig: { ...sc.engine, maxBlockBytes: SIM_MAX_BLOCK_BYTES },
    observer,
    region: (i) => sc.regions[i],
    evidenceMaxAge: { blocks: 100_000n, ms: 48 * 3600_000 },
  };
  sc.powers.forEach((_, i) => nodes.push(new SimNode(i, keyring.keys[i], sc.behaviours[i], cluster, rng.fork())));
  const views = nodes.map((n) => ({
    honest: n.honest,
    address: n.address,
    get down() {
      return n.down;
    },
    incarnation: () => n.incarnationCount(),
    height: () => n.app.height(),
    engineState: () => n.engine?.state(),
    reportedEvidence: new Set<string>(),
  }));
  checker = new Checker(cluster, views, sc.partitions, cluster.engineConfig.roundWindow ?? 16);

  // Script: boots, crashes, partitions, floods, gossip of stuck rounds, txs.
  for (const n of nodes) queue.push(0, () => n.boot());
  for (const c of sc.crashes) {
    queue.push(c.at, () => !nodes[c.node].down && nodes[c.node].crash());
    queue.push(c.at + c.downMs, () => nodes[c.node].down && nodes[c.node].boot());
  }
  for (const p of sc.partitions) queue.push(p.at, () => checker!.partitionStarted(p));
  nodes.forEach((n) => {
    let last = '';
    const tick = () => {
      if (!n.down && n.engine) {
        const st = n.engine.state();
        const where = st ? `${st.height}/${st.round}/${st.step}` : '';
        if (where === last) n.regossip();
        last = where;
      }
      queue.push(now + GOSSIP_STUCK_MS, tick);
    };
    queue.push(GOSSIP_STUCK_MS + n.index, tick);
    if (n.behaviour === 'future-flood') {
      const flood = () => {
        if (!n.down) floodOnce(n);
        queue.push(now + FLOOD_INTERVAL_MS, flood);
      };
      queue.push(FLOOD_INTERVAL_MS, flood);
    }
  });
  let txId = 0;
  if (sc.txPerSec > 0) {
    const gap = Math.max(1, Math.floor(1000 / sc.txPerSec));
    const submit = () => {
      const at = rng.int(nodes.length);
      const id = txId++;
      if (!nodes[at].down) {
        checker!.txSubmitted.set(id, { node: at, at: now });
        nodes[at].app.mempool.add(id);
        cluster.broadcast(at, { kind: 'tx', id });
      }
      queue.push(now + gap, submit);
    };
    queue.push(gap, submit);
  }
  let heightAtQuiet: bigint[] = nodes.map(() => 0n);
  queue.push(sc.quietFrom, () => {
    heightAtQuiet = nodes.map((n) => n.app.height());
  });

  for (;;) {
    const t = queue.peekTime();
    if (t === undefined || t > sc.durationMs) break;
    const ev = queue.pop()!;
    now = ev.time;
    ev.run();
  }
  now = sc.durationMs;
  checker.finish(heightAtQuiet);
  return {
    seed: sc.seed,
    validators: nodes.length,
    byzantine: nodes.filter((n) => !n.honest).length,
    ok: checker.violations.length === 0,
    violations: checker.violations,
    height: Number(checker.maxHeight()),
    evidenceCommitted: checker.chainEvidence.size,
    stats: checker.stats,
    simulatedMs: sc.durationMs,
  };
}
