/**
 * Run a generated testnet (testnet/generate.ts) as real processes on this machine: one
 * `guts start` per node home, logs in `<home>/node.log`, and the RPC `status` of every
 * node on demand. Used by `guts testnet start` and by the end-to-end tests.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { ErrTestnetConfig } from './config.js';
import type { TestnetManifest, TestnetNode } from './generate.js';
import { NODE_FLAGS } from '../app/node/heap.js';

/** The project root, whether this runs compiled (dist/testnet/) or from source (testnet/). */
const HERE = new URL('.', import.meta.url).pathname;
const ROOT = HERE.includes('/dist/') ? HERE.slice(0, HERE.lastIndexOf('/dist/') + 1) : join(HERE, '..');
const BIN = join(ROOT, 'bin', 'run.js');

export interface NodeStatus {
  name: string;
  height: number;
  appHash: string;
  catchingUp: boolean;
  peers?: number;
  error?: string;
}

export interface RunningTestnetNode {
  node: TestnetNode;
  child: ChildProcess;
  exited: Promise<number | null>;
}

export async function readManifest(dir: string): Promise<TestnetManifest> {
  const file = join(dir, 'testnet.json');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw ErrTestnetConfig.wrap(`cannot read ${file}: ${(e as Error).message} (generate it with \`guts testnet init --output-dir ${dir}\`)`);
  }
  const m = JSON.parse(text) as TestnetManifest;
  if (!Array.isArray(m.nodes) || typeof m.chainId !== 'string') throw ErrTestnetConfig.wrap(`${file}: not a testnet manifest`);
  return m;
}

export function httpRpc(node: TestnetNode): string {
  return node.rpc.replace(/^tcp:\/\//, 'http://');
}

/** Start `guts start` for one node; stdout and stderr are appended to `<home>/node.log`. */
export function startTestnetNode(node: TestnetNode, extraArgs: string[] = []): RunningTestnetNode {
  const log = createWriteStream(join(node.home, 'node.log'), { flags: 'a' });
  const child = spawn(process.execPath, [...NODE_FLAGS, BIN, 'start', '--home', node.home, '--log-format', 'json', ...extraArgs], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.pipe(log, { end: false });
  child.stderr!.pipe(log, { end: false });
  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      log.end();
      resolve(code);
    }),
  );
  return { node, child, exited };
}

/** `status` of one node over its RPC, with a short timeout; a node that does not answer gets `error`. */
export async function nodeStatus(node: TestnetNode, timeoutMs = 2000): Promise<NodeStatus> {
  try {
    const r = await fetch(`${httpRpc(node)}/status`, { signal: AbortSignal.timeout(timeoutMs) });
    const j = (await r.json()) as { result?: { sync_info?: { latest_block_height?: string; latest_app_hash?: string; catching_up?: boolean } } };
    const s = j.result?.sync_info;
    let peers: number | undefined;
    try {
      const n = await fetch(`${httpRpc(node)}/net_info`, { signal: AbortSignal.timeout(timeoutMs) });
      const nj = (await n.json()) as { result?: { n_peers?: string } };
      if (nj.result?.n_peers !== undefined) peers = Number(nj.result.n_peers);
    } catch {
      // net_info is optional
    }
    return { name: node.name, height: Number(s?.latest_block_height ?? 0), appHash: s?.latest_app_hash ?? '', catchingUp: s?.catching_up ?? false, peers };
  } catch (e) {
    return { name: node.name, height: 0, appHash: '', catchingUp: false, error: (e as Error).message };
  }
}

/** Stop nodes: SIGTERM, then SIGKILL after `graceMs`. */
export async function stopTestnetNodes(nodes: RunningTestnetNode[], graceMs = 10_000): Promise<void> {
  await Promise.all(
    nodes.map(async (n) => {
      if (n.child.exitCode !== null || n.child.signalCode !== null) return;
      n.child.kill('SIGTERM');
      const timer = setTimeout(() => n.child.kill('SIGKILL'), graceMs);
      await n.exited;
      clearTimeout(timer);
    }),
  );
}

function portFree(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, host, () => srv.close(() => resolve(true)));
  });
}

/** A base port with `count` consecutive free ports on `host`, picked at random in steps of 10 from `from` up (for `local.base_port`). */
export async function freePortRange(count: number, from = 20_000, host = '127.0.0.1'): Promise<number> {
  for (let tries = 0; tries < 50; tries++) {
    const base = from + Math.floor(Math.random() * 2_000) * 10;
    const all = await Promise.all(Array.from({ length: count }, (_, i) => portFree(base + i, host)));
    if (all.every(Boolean)) return base;
  }
  throw new Error(`no ${count} free ports in a row from ${from} on ${host}`);
}
