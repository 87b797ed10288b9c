/**
 * mDNS discovery (issue 6): two host processes with `p2p.mdns = true` and no bootstrap
 * list find each other and link up. Multicast never leaves the machine: both run in a
 * network namespace this test creates with only a loopback device (multicast routed to
 * `lo`), and the test deletes it afterwards. Needs root and iproute2's `ip netns`.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const NS = `guts-mdns-${process.pid}`;
const CHILD = fileURLToPath(new URL('./fixtures/mdns-child.mjs', import.meta.url));

function ip(...args: string[]): string {
  const r = spawnSync('ip', args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`ip ${args.join(' ')}: ${r.stderr || r.error?.message}`);
  return r.stdout;
}

interface Child {
  proc: ChildProcess;
  peerId?: string;
  discovered: Set<string>;
  neighbours: Set<string>;
}

function startChild(): Child {
  const c: Child = { proc: spawn('ip', ['netns', 'exec', NS, process.execPath, CHILD], { stdio: ['ignore', 'pipe', 'inherit'] }), discovered: new Set(), neighbours: new Set() };
  let buf = '';
  c.proc.stdout!.on('data', (d: Buffer) => {
    buf += d.toString();
    for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) {
      const line = JSON.parse(buf.slice(0, i)) as { peerId?: string; discovered?: string; neighbour?: string };
      buf = buf.slice(i + 1);
      if (line.peerId) c.peerId = line.peerId;
      if (line.discovered) c.discovered.add(line.discovered);
      if (line.neighbour) c.neighbours.add(line.neighbour);
    }
  });
  return c;
}

async function until(what: string, cond: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('mDNS discovery inside a private network namespace', () => {
  const children: Child[] = [];
  beforeAll(() => {
    ip('netns', 'add', NS);
    ip('-n', NS, 'link', 'set', 'lo', 'up');
    ip('-n', NS, 'route', 'add', '224.0.0.0/4', 'dev', 'lo');
  });
  afterAll(async () => {
    for (const c of children) c.proc.kill('SIGTERM');
    await Promise.all(children.map((c) => (c.proc.exitCode !== null ? undefined : new Promise((r) => {
      const t = setTimeout(() => (c.proc.kill('SIGKILL'), r(undefined)), 5_000);
      c.proc.once('exit', () => (clearTimeout(t), r(undefined)));
    }))));
    ip('netns', 'del', NS);
  });

  it('the namespace has a loopback device and nothing else, so multicast cannot leave it', () => {
    const links = ip('-n', NS, '-o', 'link').trim().split('\n').map((l) => l.split(':')[1].trim());
    expect(links).toEqual(['lo']);
    expect(ip('-n', NS, 'route', 'show', 'table', 'all')).toContain('224.0.0.0/4 dev lo');
  });

  it('two hosts with mdns on and no bootstrap find each other and become gossip neighbours', { timeout: 60_000 }, async () => {
    children.push(startChild(), startChild());
    const [a, b] = children;
    await until('both hosts started', () => a.peerId !== undefined && b.peerId !== undefined, 30_000);
    await until('each discovered the other over mDNS', () => a.discovered.has(b.peerId!) || b.discovered.has(a.peerId!), 30_000);
    await until('they are gossip neighbours', () => a.neighbours.has(b.peerId!) && b.neighbours.has(a.peerId!), 30_000);
  });
});
