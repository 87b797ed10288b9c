/**
 * The REST gateway as the node starts it: from config `api` and the node's own objects,
 * in one call. Disabled → undefined. A port in use is logged and skipped, as for the
 * faucet front end (the gateway is a convenience; consensus and RPC run on without it).
 */
import type { Logger } from 'pino';
import type { RequestQuery, ResponseCheckTx, ResponseQuery } from 'cosmjs-types/tendermint/abci/types';
import type { ApiConfig } from '../node/config.js';
import { parseListenAddress } from '../node/config.js';
import type { BlockStore } from '../consensus/types.js';
import type { RpcNodeInfo } from '../rpc/backend.js';
import { startRestServer, type RestServer } from './server.js';

export interface NodeRestParts {
  /** config.api */
  config: ApiConfig;
  app: { query(req: RequestQuery): Promise<ResponseQuery> };
  mempool: { add(tx: Uint8Array): Promise<ResponseCheckTx> };
  blockStore: Pick<BlockStore, 'height' | 'loadBlock' | 'txByHash'>;
  nodeInfo: () => RpcNodeInfo;
  version?: string;
  logger: Pick<Logger, 'info' | 'warn' | 'error'>;
}

export async function startNodeRest(p: NodeRestParts): Promise<RestServer | undefined> {
  if (!p.config.enabled) return undefined;
  const { host, port } = parseListenAddress(p.config.laddr);
  try {
    return await startRestServer({
      backend: {
        query: (req) => p.app.query(req),
        broadcast: (tx) => p.mempool.add(tx),
        txByHash: (hash) => p.blockStore.txByHash(hash),
        loadBlock: (h) => p.blockStore.loadBlock(h),
        latestHeight: () => p.blockStore.height(),
        nodeInfo: p.nodeInfo,
        appVersion: p.version,
      },
      host,
      port,
      corsAllowedOrigins: p.config.corsAllowedOrigins,
      logger: p.logger,
    });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      p.logger.warn({ laddr: p.config.laddr }, 'REST port in use: running without the REST gateway (set api.laddr)');
      return undefined;
    }
    throw err;
  }
}
