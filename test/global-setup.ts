/**
 * End-to-end tests run the compiled CLI (bin/run.js → dist/). Rebuild dist/ first when
 * any source is newer than the last build, so a test never exercises stale code.
 * GUTS_TEST_NO_BUILD=1 skips this (unit tests only: e2e tests would run stale dist/).
 */
import { spawnSync } from 'node:child_process';

export default function setup(): void {
  // for unit tests that never run dist/ while a tree is mid-edit; CI never sets it
  if (process.env.GUTS_TEST_NO_BUILD === '1') return;
  const r = spawnSync(process.execPath, ['scripts/prepare.mjs'], { cwd: new URL('..', import.meta.url).pathname, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('building dist/ failed (node scripts/prepare.mjs); fix the type errors above');
}
