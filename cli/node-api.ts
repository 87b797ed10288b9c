/**
 * The node functions `init`, `start` and `devnet` wrap (app/node/index.ts). They are loaded on
 * demand: oclif imports every command module to render `guts --help`, and the node pulls in
 * libp2p, LevelDB and the worker pool, which `keys` and `query` commands never need.
 */
import { CliError } from './errors.js';

export type NodeLogFormat = 'json' | 'pretty';

export interface NodeApi {
  initHome(opts: { home: string; moniker: string; chainId: string; overwrite?: boolean }): Promise<{
    home: string;
    nodeId: string;
    validatorAddress: string;
    genesisPath: string;
  }>;
  startNode(opts: {
    home: string;
    logFormat?: NodeLogFormat;
    logLevel?: string;
    rpcListen?: string;
    blockTimeMs?: number;
    /** called if block production halts; the CLI then exits non-zero */
    onFatal?: (err: Error) => void;
  }): Promise<{ stop(): Promise<void>; rpcAddress: string; chainId: string; height(): number }>;
  runDevnet(opts: {
    home: string;
    mnemonic?: string;
    logFormat?: NodeLogFormat;
    logLevel?: string;
    rpcListen?: string;
    blockTimeMs?: number;
    onFatal?: (err: Error) => void;
  }): Promise<{ stop(): Promise<void>; rpcAddress: string; chainId: string; devAccount: { address: string; mnemonic: string } }>;
}

export async function loadNodeApi(): Promise<NodeApi> {
  const url = new URL('../app/node/index.js', import.meta.url);
  try {
    return (await import(url.href)) as NodeApi;
  } catch (err) {
    throw new CliError(`cannot load the node (${url.pathname}): ${(err as Error).message}`);
  }
}
