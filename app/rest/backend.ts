/**
 * What the REST gateway needs from the node, declared here by the caller (STYLE:
 * expected interfaces). The node hands over its app, block store and mempool; tests can
 * hand over the in-process app with a small block store.
 */
import type { RequestQuery, ResponseCheckTx, ResponseQuery } from 'cosmjs-types/tendermint/abci/types';
import type { IndexedTx, StoredBlock } from '../consensus/types.js';
import type { RpcNodeInfo } from '../rpc/backend.js';

export interface RestBackend {
  /** abci_query of the app (`GutsApp.query`): gRPC-path queries, heights, simulation. */
  query(req: RequestQuery): Promise<ResponseQuery>;
  /** CheckTx and mempool admission (`mempool.add`); may throw a CodedError (full, duplicate). */
  broadcast(tx: Uint8Array): Promise<ResponseCheckTx>;
  /** A committed tx with its result, from the tx index (`blockStore.txByHash`). */
  txByHash(hash: Uint8Array): Promise<IndexedTx | undefined>;
  /** Committed block at a height (`blockStore.loadBlock`), for tx timestamps and `blocks/latest`. */
  loadBlock(height: number): Promise<StoredBlock | undefined>;
  /** Latest committed height (`blockStore.height()`). */
  latestHeight(): number;
  /** The node's identity for `node_info` (the RPC backend's `nodeInfo`). */
  nodeInfo(): RpcNodeInfo;
  /** Application version string (`guts` package version). */
  appVersion?: string;
}
