#!/usr/bin/env node
// `npm install` runs this (the `prepare` script). It compiles with tsc unless dist/ is
// already newer than every source file: `npx guts` re-runs `prepare` on each first use
// from a fresh npx cache, and a full tsc run takes 15-45 s on 2 cores.
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const root = new URL('..', import.meta.url).pathname;
const stamp = join(root, 'dist', '.build-stamp');
const sources = ['app', 'modules', 'sdk', 'cli', 'genesis', 'testnet', 'bench', 'proto'];

function newest(dir) {
  let t = 0;
  if (!existsSync(dir)) return t;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) t = Math.max(t, newest(p));
    else if (e.name.endsWith('.ts')) t = Math.max(t, statSync(p).mtimeMs);
  }
  return t;
}

const inputs = Math.max(...sources.map((d) => newest(join(root, d))), ...['tsconfig.json', 'tsconfig.build.json', 'package.json'].map((f) => statSync(join(root, f)).mtimeMs));
if (existsSync(stamp) && statSync(stamp).mtimeMs >= inputs) process.exit(0);
const r = spawnSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
if (r.status !== 0) process.exit(r.status ?? 1);
writeFileSync(stamp, `${new Date().toISOString()}\n`);
