/**
 * One node of `bench/gossip-sockets.ts`, in its own OS process: either this project's
 * libp2p host (HyParView + Plumtree) or stock @libp2p/gossipsub over the same
 * transports (TCP, noise, yamux, identify). Driven over the IPC channel; reports the
 * deliveries it saw (id, latency), the copies it received and its CPU time.
 */
import '../app/polyfill.js';
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { noise } from '@chainsafe/libp2p-noise';
import { yamux } from '@chainsafe/libp2p-yamux';
import { gossipsub } from '@libp2p/gossipsub';
import { identify } from '@libp2p/identify';
import { ping } from '@libp2p/ping';
import { tcp } from '@libp2p/tcp';
import { multiaddr } from '@multiformats/multiaddr';
import { ed25519 } from '@noble/curves/ed25519.js';
import { ClassicLevel } from 'classic-level';
import { createLibp2p } from 'libp2p';
import { createP2PHost, type HostLogger, type P2PHost } from '../app/p2p/host/index.js';
import { PLUMTREE_DEFAULTS } from '../app/p2p/plumtree/config.js';

export type WorkerCommand =
  | { cmd: 'init'; mode: 'plumtree' | 'plumtree-fixed' | 'gossipsub'; bootstrap: string[] }
  | { cmd: 'status' }
  | { cmd: 'measure' }
  | { cmd: 'publish'; id: number; size: number }
  | { cmd: 'report' }
  | { cmd: 'stop' };

export type WorkerEvent =
  | { ev: 'up' }
  | { ev: 'ready'; addr: string; peerId: string }
  | { ev: 'status'; neighbours: number }
  | { ev: 'report'; deliveries: [number, number][]; copies: number; cpuMs: number; drops: Record<string, number> };

const TOPIC = 'guts-bench';
const quiet: HostLogger = { info: () => undefined, warn: () => undefined, error: () => undefined, debug: () => undefined, child: () => quiet };

/** GUTS_BENCH_LOG=<dir>: every host log line (debug included) goes to <dir>/<pid>.log as JSON, for tracing a run. */
function fileLogger(dir: string): HostLogger {
  const path = join(dir, `${process.pid}.log`);
  const line = (level: string) => (obj: object | string, msg?: string) =>
    appendFileSync(path, `${JSON.stringify({ t: Date.now(), level, msg, ...(typeof obj === 'string' ? { msg: obj } : obj) })}\n`);
  const l: HostLogger = { info: line('info'), warn: line('warn'), error: line('error'), debug: line('debug'), child: () => l };
  return l;
}

interface Node {
  readonly addr: string;
  readonly peerId: string;
  neighbours(): number;
  publish(data: Uint8Array): void;
  copies(): number;
  /** Plumtree: frames and repairs that went nowhere, by reason (see PlumtreeDrops, GossipDriver.drops). */
  drops(): Record<string, number>;
  stop(): Promise<void>;
}

const deliveries = new Map<number, number>();
let cpuStart = process.cpuUsage();
let copiesStart = 0;

function onData(data: Uint8Array): void {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const id = view.getUint32(0);
  if (!deliveries.has(id)) deliveries.set(id, Date.now() - view.getFloat64(4));
}

/** `fixed`: timeout1/timeout2 stay at 300/200 ms (the ceilings equal the floors), as before they were measured. */
async function plumtree(bootstrap: string[], fixed: boolean): Promise<Node> {
  const dir = mkdtempSync(join(tmpdir(), 'guts-bench-'));
  const db = new ClassicLevel<Uint8Array, Uint8Array>(dir, { keyEncoding: 'view', valueEncoding: 'view' });
  await db.open();
  const seed = ed25519.utils.randomSecretKey();
  const key = new Uint8Array(64);
  key.set(seed);
  key.set(ed25519.getPublicKey(seed), 32);
  const host: P2PHost = await createP2PHost({
    chainId: 'guts-bench-1',
    privateKey: key,
    config: { enabled: true, listen: ['/ip4/127.0.0.1/tcp/0'], announce: [], bootstrap, mdns: false, maxInbound: 40, maxOutbound: 10, allow: ['127.0.0.0/8'] },
    db,
    logger: process.env.GUTS_BENCH_LOG ? fileLogger(process.env.GUTS_BENCH_LOG) : quiet,
    gossip: fixed ? { plumtree: { ihaveTimeoutMaxMs: PLUMTREE_DEFAULTS.ihaveTimeoutMs, graftRetryMaxMs: PLUMTREE_DEFAULTS.graftRetryMs } } : undefined,
  });
  host.onDeliver((env) => {
    if (env.body.type === 'tx') onData(env.body.tx);
  });
  await host.start();
  type Internals = {
    node: { membership: { active(): unknown[] }; tree: { drops: Record<string, number> }; scores: { tracked: number } };
    byType: Map<string, number>;
    drops: Record<string, number>;
  };
  const internals = (): Internals => (host as unknown as { internals(): Internals }).internals();
  return {
    addr: host.addresses()[0],
    peerId: host.peerId,
    neighbours: () => internals().node.membership.active().length,
    publish: (data) => host.broadcast({ type: 'tx', tx: data }),
    // copies this node sent = copies others received (each sent payload frame is one copy)
    copies: () => internals().byType.get('gossip') ?? 0,
    drops: () => {
      const i = internals();
      return { ...i.drops, ...i.node.tree.drops, graftsSent: i.byType.get('graft') ?? 0, prunesSent: i.byType.get('prune') ?? 0, ihavesSent: i.byType.get('ihave') ?? 0 };
    },
    stop: async () => {
      await host.stop();
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function stockGossipsub(bootstrap: string[]): Promise<Node> {
  const node = await createLibp2p({
    addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    // gossip-anchor.md: without these two, loopback peers share one IP and get scored out
    connectionManager: { allow: ['/ip4/127.0.0.0/ipcidr/8'] },
    services: {
      identify: identify(),
      ping: ping(),
      pubsub: gossipsub({ emitSelf: false, allowPublishToZeroTopicPeers: true, scoreParams: { IPColocationFactorWhitelist: new Set(['127.0.0.1']) } }),
    },
  });
  const ps = node.services.pubsub;
  let copies = 0;
  const gs = ps as unknown as { handleReceivedMessage(from: unknown, m: unknown): Promise<void> };
  const orig = gs.handleReceivedMessage.bind(gs);
  // every message in every received RPC, before the seen-cache check (= msg_received_prevalidation_total)
  gs.handleReceivedMessage = (from, m) => {
    copies++;
    return orig(from, m);
  };
  ps.addEventListener('message', (evt) => onData(evt.detail.data));
  ps.subscribe(TOPIC);
  await Promise.all(bootstrap.map((a) => node.dial(multiaddr(a)).catch(() => undefined)));
  return {
    addr: node.getMultiaddrs()[0].toString(),
    peerId: node.peerId.toString(),
    // mesh peers of the topic (gossipsub keeps them in `mesh`; subscribers as a fallback)
    neighbours: () => (ps as unknown as { mesh?: Map<string, Set<string>> }).mesh?.get(TOPIC)?.size ?? ps.getSubscribers(TOPIC).length,
    publish: (data) => void ps.publish(TOPIC, data).catch(() => undefined),
    copies: () => copies,
    drops: () => ({}),
    stop: async () => {
      await node.stop();
    },
  };
}

let node: Node | undefined;
const send = (e: WorkerEvent): void => void process.send?.(e);

process.on('message', (m: WorkerCommand) => {
  void (async () => {
    switch (m.cmd) {
      case 'init':
        node = m.mode === 'gossipsub' ? await stockGossipsub(m.bootstrap) : await plumtree(m.bootstrap, m.mode === 'plumtree-fixed');
        send({ ev: 'ready', addr: node.addr, peerId: node.peerId });
        break;
      case 'status':
        send({ ev: 'status', neighbours: node?.neighbours() ?? 0 });
        break;
      case 'measure':
        cpuStart = process.cpuUsage();
        copiesStart = node?.copies() ?? 0;
        deliveries.clear();
        break;
      case 'publish': {
        const data = new Uint8Array(m.size);
        globalThis.crypto.getRandomValues(data.subarray(12, Math.min(m.size, 64)));
        const view = new DataView(data.buffer);
        view.setUint32(0, m.id);
        view.setFloat64(4, Date.now());
        deliveries.set(m.id, 0);
        node?.publish(data);
        break;
      }
      case 'report': {
        const c = process.cpuUsage(cpuStart);
        send({ ev: 'report', deliveries: [...deliveries], copies: (node?.copies() ?? 0) - copiesStart, cpuMs: (c.user + c.system) / 1000, drops: node?.drops() ?? {} });
        break;
      }
      case 'stop':
        await node?.stop().catch(() => undefined);
        process.exit(0);
    }
  })().catch((err: Error) => {
    process.stderr.write(`worker: ${err.stack ?? err.message}\n`);
    process.exit(1);
  });
});
// IPC messages that arrive before a listener exists are dropped: say when it does
send({ ev: 'up' });
