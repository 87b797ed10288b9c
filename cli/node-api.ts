/**
 * The node functions `init`, `start` and `devnet` wrap (app/node/index.ts). They are loaded on
 * demand: oclif imports every command module to render `guts --help`, and the node pulls in
 * libp2p, LevelDB and the worker pool, which `keys` and `query` commands never need.
 */
import type * as NodeModule from '../app/node/index.js';
import { CliError } from './errors.js';

/** Only the three entry points the CLI wraps; a type-only import, erased at runtime. */
export type NodeApi = Pick<typeof NodeModule, 'initHome' | 'startNode' | 'runDevnet'>;

export async function loadNodeApi(): Promise<NodeApi> {
  const url = new URL('../app/node/index.js', import.meta.url);
  try {
    return (await import(url.href)) as NodeApi;
  } catch (err) {
    throw new CliError(`cannot load the node (${url.pathname}): ${(err as Error).message}`);
  }
}
