/** CometBFT 0.38 JSON-RPC server; see README.md for methods and differences. */
export { startRpcServer, type RpcServer } from './server.js';
export type { RpcServerOptions, RpcLogger } from './options.js';
export type { RpcBackend, RpcNodeInfo, RpcPeer, RpcValidator } from './backend.js';
export { COMETBFT_VERSION } from './methods/info.js';
export { parseQuery, QueryParseError, type EventQuery, type EventMap } from './events/query.js';
