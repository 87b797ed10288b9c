/**
 * End-to-end tests run the compiled CLI (bin/run.js → dist/). Rebuild dist/ first when
 * any source is newer than the last build, so a test never exercises stale code.
 */
import { spawnSync } from 'node:child_process';

export default function setup(): void {
  const r = spawnSync(process.execPath, ['scripts/prepare.mjs'], { cwd: new URL('..', import.meta.url).pathname, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('building dist/ failed (node scripts/prepare.mjs); fix the type errors above');
}
