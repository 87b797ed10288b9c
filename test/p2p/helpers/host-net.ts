/**
 * Real-socket harness for the libp2p host tests: hosts on 127.0.0.1 with fixed ports
 * (so a restart finds its peers at the addresses its peer store remembers), one
 * LevelDB per host in a temp dir, short timers.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ed25519 } from '@noble/curves/ed25519.js';
import { ClassicLevel } from 'classic-level';
import type { P2PConfig } from '../../../app/node/config.js';
import { createP2PHost } from '../../../app/p2p/host/index.js';
import type { GossipOverrides, HostLogger, HostTimings, P2PHost, P2PHostInit } from '../../../app/p2p/host/index.js';
import type { Envelope } from '../../../app/p2p/messages/envelope.js';
import type { GossipNode } from '../../../app/p2p/node/gossip-node.js';

export const CHAIN_ID = 'guts-hosttest-1';

export const silentLogger: HostLogger = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  debug: () => undefined,
  child: () => silentLogger,
};

/** Short timers so a 20-node overlay forms and repairs in seconds. */
export const FAST_TIMINGS: Partial<HostTimings> = {
  announceIntervalMs: 30_000,
  randomWalkIntervalMs: 10_000,
  heartbeatIntervalMs: 300,
  partitionCheckMs: 100,
  discoveryCooldownMs: 500,
  dialTimeoutMs: 10_000,
  requestTimeoutMs: 2_000,
};

export const FAST_GOSSIP: GossipOverrides = {
  hyparview: { shuffleIntervalMs: 2_000, neighborTimeoutMs: 4_000, reconnect: { initialMs: 500, maxMs: 2_000, retentionMs: 60_000, maxPeers: 8 } },
};

export async function freePorts(n: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: n }, () => new Promise<import('node:net').Server>((resolve, reject) => {
      const s = createServer();
      s.once('error', reject);
      s.listen(0, '127.0.0.1', () => resolve(s));
    })),
  );
  const ports = servers.map((s) => (s.address() as { port: number }).port);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}

export function nodeKey(): Uint8Array {
  const seed = ed25519.utils.randomSecretKey();
  const out = new Uint8Array(64);
  out.set(seed);
  out.set(ed25519.getPublicKey(seed), 32);
  return out;
}

export function p2pConfig(port: number, bootstrap: string[] = [], extra: Partial<P2PConfig> = {}): P2PConfig {
  return {
    enabled: true,
    listen: [`/ip4/127.0.0.1/tcp/${port}`],
    announce: [],
    bootstrap,
    mdns: false,
    maxInbound: 40,
    maxOutbound: 10,
    allow: ['127.0.0.0/8'],
    ...extra,
  };
}

/** One host's durable parts (key, db, port) and its running instance. */
export interface TestHost {
  readonly key: Uint8Array;
  readonly db: ClassicLevel<Uint8Array, Uint8Array>;
  readonly dir: string;
  port: number;
  host: P2PHost;
  /** Envelopes delivered, in order, with the peer they came from. */
  readonly got: { env: Envelope; from: string }[];
}

export interface MakeOptions {
  readonly bootstrap?: string[];
  readonly gossip?: GossipOverrides;
  readonly timings?: Partial<HostTimings>;
  readonly validate?: P2PHostInit['validate'];
  readonly partition?: P2PHostInit['partition'];
  readonly config?: Partial<P2PConfig>;
}

export async function makeHost(port: number, opts: MakeOptions = {}): Promise<TestHost> {
  const dir = mkdtempSync(join(tmpdir(), 'guts-host-'));
  const db = new ClassicLevel<Uint8Array, Uint8Array>(dir, { keyEncoding: 'view', valueEncoding: 'view' });
  await db.open();
  const t: TestHost = { key: nodeKey(), db, dir, port, host: undefined as unknown as P2PHost, got: [] };
  await boot(t, opts);
  return t;
}

/** (Re)creates and starts the host on the same key, db and port. */
export async function boot(t: TestHost, opts: MakeOptions = {}): Promise<void> {
  t.host = await createP2PHost({
    chainId: CHAIN_ID,
    privateKey: t.key,
    config: p2pConfig(t.port, opts.bootstrap ?? [], opts.config),
    db: t.db,
    logger: silentLogger,
    validate: opts.validate,
    gossip: { ...FAST_GOSSIP, ...opts.gossip },
    timings: { ...FAST_TIMINGS, ...opts.timings },
    partition: opts.partition,
  });
  t.host.onDeliver((env, from) => t.got.push({ env, from }));
  await t.host.start();
}

export async function destroy(hosts: readonly TestHost[]): Promise<void> {
  await Promise.all(hosts.map((t) => t.host.stop().catch(() => undefined)));
  for (const t of hosts) {
    await t.db.close().catch(() => undefined);
    rmSync(t.dir, { recursive: true, force: true });
  }
}

export function gossipNode(h: P2PHost): GossipNode {
  const i = (h as unknown as { internals(): { node: GossipNode } | undefined }).internals();
  if (!i) throw new Error('host not running');
  return i.node;
}

/** True when the active views of `hosts` form one connected graph (links counted both ways). */
export function overlayConnected(hosts: readonly TestHost[]): boolean {
  const ids = new Set(hosts.map((t) => t.host.peerId));
  const adj = new Map<string, Set<string>>();
  for (const id of ids) adj.set(id, new Set());
  for (const t of hosts) {
    for (const p of gossipNode(t.host).membership.activeIds()) {
      if (!ids.has(p)) continue;
      adj.get(t.host.peerId)!.add(p);
      adj.get(p)!.add(t.host.peerId);
    }
  }
  const start = hosts[0].host.peerId;
  const seen = new Set([start]);
  const queue = [start];
  while (queue.length > 0) for (const n of adj.get(queue.shift()!)!) if (!seen.has(n)) (seen.add(n), queue.push(n));
  return seen.size === ids.size;
}

export async function waitFor(what: string, cond: () => boolean | Promise<boolean>, timeoutMs = 20_000, stepMs = 100): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, stepMs));
  }
}

/** A transaction envelope body carrying `tag` (distinct bodies → distinct message ids). */
export function txBody(tag: string): { type: 'tx'; tx: Uint8Array } {
  return { type: 'tx', tx: new TextEncoder().encode(tag) };
}

export function gotTag(t: TestHost, tag: string): boolean {
  return t.got.some(({ env }) => env.body.type === 'tx' && new TextDecoder().decode(env.body.tx) === tag);
}
