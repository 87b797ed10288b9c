import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export const DEFAULT_HOME = join(homedir(), '.guts');
export const DEFAULT_DEVNET_HOME = join(homedir(), '.guts-devnet');

/** `~/x` → `$HOME/x` (a shell does this, but not inside `--home=~/x`); result is absolute. */
export function expandHome(p: string): string {
  if (p === '~') return homedir();
  if (p.startsWith('~/')) return join(homedir(), p.slice(2));
  return resolve(p);
}

/** Show a path with `~` for the home directory, as users typed it. */
export function tildify(p: string): string {
  const h = homedir();
  return p === h ? '~' : p.startsWith(h + '/') ? '~' + p.slice(h.length) : p;
}
