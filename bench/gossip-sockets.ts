/**
 * Gossip over real sockets (issue 6, "Real-socket figures"): N OS processes on
 * 127.0.0.1, each dialing `dial` random earlier nodes; `messages` broadcasts of `size`
 * bytes from random origins at each rate. Our host (HyParView + Plumtree over libp2p)
 * and stock @libp2p/gossipsub over the same transports run side by side in the same
 * invocation. Prints JSON: delivery, latency p50/p99, time to all p50/p99, RMR
 * (copies received / deliveries − 1) and CPU per delivery (all processes summed).
 *
 *   npm run build && node dist/bench/gossip-sockets.js
 *   node dist/bench/gossip-sockets.js --nodes 20 --messages 200 --rates 5,20 --modes plumtree,gossipsub
 *   node dist/bench/gossip-sockets.js --nodes 20 --messages 100 --rates 5 --modes plumtree,plumtree-fixed
 *
 * Latency = receive time − the origin's send time (one clock: every process is on this
 * host). Time to all = the last receiver's latency, over messages that reached all.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { WorkerCommand, WorkerEvent } from './gossip-sockets-worker.js';

/** plumtree-fixed: our host with timeout1/timeout2 fixed at 300/200 ms (before they followed measurements). */
type Mode = 'plumtree' | 'plumtree-fixed' | 'gossipsub';

interface Options {
  nodes: number;
  messages: number;
  size: number;
  rates: number[];
  dial: number;
  modes: Mode[];
  warmupMs: number;
  drainMs: number;
}

function parseArgs(argv: string[]): Options {
  const o: Options = { nodes: 20, messages: 200, size: 1024, rates: [5, 20], dial: 4, modes: ['plumtree', 'gossipsub'], warmupMs: 5_000, drainMs: 15_000 };
  for (let i = 0; i < argv.length; i += 2) {
    const [k, v] = [argv[i], argv[i + 1]];
    if (k === '--nodes') o.nodes = Number(v);
    else if (k === '--messages') o.messages = Number(v);
    else if (k === '--size') o.size = Number(v);
    else if (k === '--rates') o.rates = v.split(',').map(Number);
    else if (k === '--dial') o.dial = Number(v);
    else if (k === '--modes') o.modes = v.split(',') as Mode[];
    else if (k === '--warmup-ms') o.warmupMs = Number(v);
    else if (k === '--drain-ms') o.drainMs = Number(v);
    else throw new Error(`unknown option ${k}`);
  }
  if (!(o.nodes >= 2 && o.messages >= 1 && o.size >= 16 && o.rates.every((r) => r > 0))) throw new Error('need nodes ≥ 2, messages ≥ 1, size ≥ 16, rates > 0');
  return o;
}

/** One worker process and a request/answer helper over IPC. */
class Worker {
  private readonly waiting = new Map<string, ((e: WorkerEvent) => void)[]>();
  /** Resolves once the worker listens for commands (it loads libp2p first). */
  readonly up: Promise<void>;
  constructor(readonly proc: ChildProcess) {
    let ready!: () => void;
    this.up = new Promise((r) => (ready = r));
    proc.on('message', (e: WorkerEvent) => (e.ev === 'up' ? ready() : this.waiting.get(e.ev)?.shift()?.(e)));
  }
  send(c: WorkerCommand): void {
    this.proc.send(c);
  }
  ask<E extends WorkerEvent['ev']>(c: WorkerCommand, ev: E, timeoutMs = 60_000): Promise<Extract<WorkerEvent, { ev: E }>> {
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`worker ${this.proc.pid}: no '${ev}' within ${timeoutMs} ms`)), timeoutMs);
      const list = this.waiting.get(ev) ?? [];
      list.push((e) => {
        clearTimeout(t);
        resolve(e as Extract<WorkerEvent, { ev: E }>);
      });
      this.waiting.set(ev, list);
      this.send(c);
    });
  }
}

const pct = (sorted: number[], p: number): number | null => (sorted.length === 0 ? null : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function run(mode: Mode, rate: number, o: Options): Promise<Record<string, unknown>> {
  const workerPath = fileURLToPath(new URL('./gossip-sockets-worker.js', import.meta.url));
  const workers: Worker[] = [];
  const addrs: string[] = [];
  const t0 = Date.now();
  try {
    // node 0 alone, then batches of 5; each node dials up to `dial` random nodes started before its batch
    for (let i = 0; i < o.nodes; i += i === 0 ? 1 : 5) {
      const batch = Array.from({ length: i === 0 ? 1 : Math.min(5, o.nodes - i) }, (_, j) => {
        const earlier = [...addrs];
        const bootstrap: string[] = [];
        while (bootstrap.length < Math.min(o.dial, earlier.length)) bootstrap.push(earlier.splice(Math.floor(Math.random() * earlier.length), 1)[0]);
        const w = new Worker(fork(workerPath, [], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] }));
        workers.push(w);
        return w.up.then(() => w.ask({ cmd: 'init', mode, bootstrap: i + j === 0 ? [] : bootstrap }, 'ready'));
      });
      for (const r of await Promise.all(batch)) addrs.push(`${r.addr.replace(/\/p2p\/.*$/, '')}/p2p/${r.peerId}`);
    }
    const startupS = (Date.now() - t0) / 1000;
    // warm-up: every node has a neighbour (plumtree: active view; gossipsub: topic mesh), then settle
    const deadline = Date.now() + 60_000;
    for (;;) {
      const st = await Promise.all(workers.map((w) => w.ask({ cmd: 'status' }, 'status')));
      if (st.every((s) => s.neighbours >= 1) || Date.now() > deadline) break;
      await sleep(500);
    }
    await sleep(o.warmupMs);
    const neighbours = (await Promise.all(workers.map((w) => w.ask({ cmd: 'status' }, 'status')))).map((s) => s.neighbours);
    for (const w of workers) w.send({ cmd: 'measure' });
    await sleep(200);
    const origins: number[] = [];
    const sendStart = Date.now();
    for (let id = 0; id < o.messages; id++) {
      const origin = Math.floor(Math.random() * o.nodes);
      origins.push(origin);
      workers[origin].send({ cmd: 'publish', id, size: o.size });
      const next = sendStart + ((id + 1) * 1000) / rate;
      await sleep(Math.max(0, next - Date.now()));
    }
    await sleep(o.drainMs);
    const reports = await Promise.all(workers.map((w) => w.ask({ cmd: 'report' }, 'report')));

    const latencies: number[] = [];
    const timeToAll: number[] = [];
    let delivered = 0;
    let reachedAll = 0;
    for (let id = 0; id < o.messages; id++) {
      let got = 0;
      let last = 0;
      reports.forEach((r, i) => {
        if (i === origins[id]) return;
        const lat = r.deliveries.find(([d]) => d === id)?.[1];
        if (lat === undefined) return;
        got++;
        latencies.push(lat);
        last = Math.max(last, lat);
      });
      delivered += got;
      if (got === o.nodes - 1) {
        reachedAll++;
        timeToAll.push(last);
      }
    }
    latencies.sort((a, b) => a - b);
    timeToAll.sort((a, b) => a - b);
    const copies = reports.reduce((s, r) => s + r.copies, 0);
    const cpuMs = reports.reduce((s, r) => s + r.cpuMs, 0);
    // which nodes missed what, and the drop counters summed over all nodes (counted from start-up)
    const missedBy = reports.map((r, i) => o.messages - origins.filter((x) => x === i).length - r.deliveries.filter(([d]) => origins[d] !== i).length);
    const drops: Record<string, number> = {};
    for (const r of reports) for (const [k, v] of Object.entries(r.drops)) drops[k] = (drops[k] ?? 0) + v;
    return {
      mode,
      rate_per_s: rate,
      startup_s: startupS,
      neighbours_min_median_max: [Math.min(...neighbours), [...neighbours].sort((a, b) => a - b)[neighbours.length >> 1], Math.max(...neighbours)],
      delivery_ratio: delivered / (o.messages * (o.nodes - 1)),
      reached_all: `${reachedAll}/${o.messages}`,
      latency_ms: { p50: pct(latencies, 50), p99: pct(latencies, 99) },
      time_to_all_ms: { p50: pct(timeToAll, 50), p99: pct(timeToAll, 99) },
      rmr: delivered > 0 ? copies / delivered - 1 : null,
      copies,
      cpu_ms_per_delivery: delivered > 0 ? cpuMs / delivered : null,
      cpu_ms_total: Math.round(cpuMs),
      missed_per_node: missedBy.filter((m) => m > 0).length > 0 ? missedBy : undefined,
      drops,
      load_avg_after: loadavg().map((x) => Number(x.toFixed(2))),
    };
  } finally {
    for (const w of workers) w.send({ cmd: 'stop' });
    await sleep(1_000);
    for (const w of workers) if (w.proc.exitCode === null) w.proc.kill();
  }
}

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  const out: Record<string, unknown>[] = [];
  const loadBefore = loadavg().map((x) => Number(x.toFixed(2)));
  for (const rate of o.rates) {
    for (const mode of o.modes) {
      process.stderr.write(`gossip-sockets: ${mode} at ${rate}/s, ${o.nodes} processes…\n`);
      out.push(await run(mode, rate, o));
      process.stderr.write(`  ${JSON.stringify(out[out.length - 1])}\n`);
    }
  }
  process.stdout.write(
    `${JSON.stringify({ bench: 'gossip-sockets', nodes: o.nodes, messages: o.messages, size_bytes: o.size, dial: o.dial, node: process.version, load_avg_before: loadBefore, runs: out }, null, 2)}\n`,
  );
}

main().catch((err: Error) => {
  process.stderr.write(`${err.stack ?? err.message}\n`);
  process.exit(1);
});
