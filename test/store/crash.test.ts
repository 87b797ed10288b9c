/**
 * kill -9 at arbitrary instants while a node commits: the reopened store must hold exactly
 * the last (or the one being) committed height, never a mix. The store is transpiled to
 * plain JS for the child, since the test runner's TypeScript transform is not available there.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { openChainDB } from '../../app/store/db.js';
import { createStateStore } from '../../app/store/state.js';
import { tempDir, text, utf8 } from './helpers.js';
// @ts-expect-error plain .mjs fixture without types
import { stateAt } from './fixtures/crash-plan.mjs';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
let build: { dir: string; cleanup: () => Promise<void> };

async function transpileFile(p: string, outRoot: string): Promise<void> {
  const out = ts.transpileModule(await readFile(p, 'utf8'), { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } });
  const dest = join(outRoot, relative(repo, p)).replace(/\.ts$/, '.js');
  await mkdir(dirname(dest), { recursive: true });
  await writeFile(dest, out.outputText);
}

async function transpileDir(src: string, outRoot: string): Promise<void> {
  for (const e of await readdir(src, { withFileTypes: true })) {
    const p = join(src, e.name);
    if (e.isDirectory()) await transpileDir(p, outRoot);
    else if (e.name.endsWith('.ts')) await transpileFile(p, outRoot);
  }
}

beforeAll(async () => {
  build = await tempDir();
  await transpileDir(join(repo, 'app/store'), build.dir);
  await transpileFile(join(repo, 'app/errors.ts'), build.dir);
  await writeFile(join(build.dir, 'package.json'), '{"type":"module"}');
  await symlink(join(repo, 'node_modules'), join(build.dir, 'node_modules'));
});
afterAll(async () => build.cleanup());

function runUntilKilled(home: string, afterHeights: number, delayMs: number): Promise<number> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [join(repo, 'test/store/fixtures/crash-child.mjs'), build.dir, home], { stdio: ['ignore', 'pipe', 'pipe'] });
    let last = 0;
    let stderr = '';
    let partial = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.stdout.on('data', (d: Buffer) => {
      const lines = (partial + d.toString()).split('\n');
      partial = lines.pop()!;
      for (const l of lines) last = Math.max(last, Number(l));
      if (last >= afterHeights && !child.killed) setTimeout(() => child.kill('SIGKILL'), delayMs);
    });
    child.on('exit', (_code, signal) => (signal === 'SIGKILL' ? done(last) : fail(new Error(`child exited without being killed: ${stderr}`))));
  });
}

describe('crash atomicity', () => {
  it('a node killed with SIGKILL mid-commit reopens at a whole height', async () => {
    const home = await tempDir();
    try {
      let floor = 0;
      for (const delay of [0, 3, 7, 13]) {
        const reported = await runUntilKilled(home.dir, floor + 3, delay);
        const db = await openChainDB(home.dir);
        try {
          const store = await createStateStore(db);
          const h = store.height;
          expect(h).toBeGreaterThanOrEqual(reported);
          expect(h).toBeLessThanOrEqual(reported + 1);
          const want: Map<string, string> = stateAt(h);
          const got = new Map<string, string>();
          for await (const [k, v] of store.iterate(utf8('acc/'))) got.set(text(k)!, text(v)!);
          expect(got).toEqual(want);
          const blocks = db.sublevel('blocks');
          expect(text(await blocks.get(utf8(String(h))))).toBe(`block ${h}`);
          expect(await blocks.get(utf8(String(h + 1)))).toBeUndefined();
          floor = h;
        } finally {
          await db.close();
        }
      }
    } finally {
      await home.cleanup();
    }
  });
});
