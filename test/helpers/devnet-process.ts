/**
 * Spawns the real `guts devnet` process (bin/run.js over the compiled dist/) in a temp
 * home, on a free loopback port, and waits until its RPC answers.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const ROOT = new URL('../../', import.meta.url).pathname;

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

export function tempHome(prefix = 'guts-e2e-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export interface DevnetProcess {
  child: ChildProcess;
  rpc: string;
  output(): string;
  exited: Promise<number | null>;
}

export async function startDevnet(opts: { home: string; port: number; mnemonic?: string; blockTime?: string; extra?: string[] }): Promise<DevnetProcess> {
  const args = ['bin/run.js', 'devnet', '--home', opts.home, '--rpc.laddr', `tcp://127.0.0.1:${opts.port}`, '--block-time', opts.blockTime ?? '200ms', '--log-format', 'json', ...(opts.extra ?? [])];
  if (opts.mnemonic) args.push('--mnemonic', opts.mnemonic);
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const rpc = `http://127.0.0.1:${opts.port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`guts devnet exited with ${child.exitCode}:\n${out}`);
    try {
      const r = await fetch(`${rpc}/status`);
      const j = (await r.json()) as { result?: { sync_info?: { latest_block_height?: string } } };
      if (Number(j.result?.sync_info?.latest_block_height ?? 0) >= 1) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`guts devnet did not answer on ${rpc} within 30 s:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { child, rpc, output: () => out, exited };
}

/** Poll `fn` every 200 ms until it returns a value; fail naming `what` after `timeoutMs`. */
export async function waitFor<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
