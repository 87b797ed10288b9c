/** RPC server configuration, with CometBFT's `[rpc]` config defaults where one exists. */
import type { RpcBackend } from './backend.js';

/** The slice of a pino logger the server uses (pino's `Logger` satisfies it). */
export interface RpcLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface RpcServerOptions {
  backend: RpcBackend;
  /** Interface to bind; default 127.0.0.1. */
  host?: string;
  /** TCP port; default 26657, 0 picks a free one. */
  port?: number;
  logger?: RpcLogger;
  /** Largest HTTP body or websocket message; default 1 000 000 (CometBFT max_body_bytes). */
  maxBodyBytes?: number;
  /** Largest JSON-RPC batch; default 100. */
  maxBatchRequests?: number;
  /** Simultaneous connections (HTTP and websocket); default 900 (CometBFT max_open_connections). */
  maxOpenConnections?: number;
  /** Websocket clients holding subscriptions, also the cap on pending broadcast_tx_commit; default 100. */
  maxSubscriptionClients?: number;
  /** Subscriptions per websocket client; default 5 (CometBFT max_subscriptions_per_client). */
  maxSubscriptionsPerClient?: number;
  /** How long broadcast_tx_commit waits for the tx to be committed; default 10 000 ms. */
  timeoutBroadcastTxCommitMs?: number;
  /**
   * Bytes a websocket client may leave unread before its subscriptions are cancelled
   * ("client is not pulling messages fast enough"); default 16 MiB.
   */
  maxWebsocketBufferedBytes?: number;
  /** Websocket ping period; a client that misses a pong is dropped; default 27 000 ms (CometBFT pingPeriod). */
  websocketPingIntervalMs?: number;
  /** Origins allowed by CORS (`['*']` for any); default none: no CORS headers are sent. */
  corsAllowedOrigins?: string[];
}

export type ResolvedOptions = Required<Omit<RpcServerOptions, 'logger'>> & { logger: RpcLogger };

const silent: RpcLogger = { debug() {}, info() {}, warn() {}, error() {} };

function positiveInt(name: string, v: number): number {
  if (!Number.isSafeInteger(v) || v <= 0) throw new RangeError(`rpc option ${name} must be a positive integer, got ${v}`);
  return v;
}

export function resolveOptions(o: RpcServerOptions): ResolvedOptions {
  const port = o.port ?? 26657;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new RangeError(`rpc option port must be in [0, 65535], got ${port}`);
  return {
    backend: o.backend,
    host: o.host ?? '127.0.0.1',
    port,
    logger: o.logger ?? silent,
    maxBodyBytes: positiveInt('maxBodyBytes', o.maxBodyBytes ?? 1_000_000),
    maxBatchRequests: positiveInt('maxBatchRequests', o.maxBatchRequests ?? 100),
    maxOpenConnections: positiveInt('maxOpenConnections', o.maxOpenConnections ?? 900),
    maxSubscriptionClients: positiveInt('maxSubscriptionClients', o.maxSubscriptionClients ?? 100),
    maxSubscriptionsPerClient: positiveInt('maxSubscriptionsPerClient', o.maxSubscriptionsPerClient ?? 5),
    timeoutBroadcastTxCommitMs: positiveInt('timeoutBroadcastTxCommitMs', o.timeoutBroadcastTxCommitMs ?? 10_000),
    maxWebsocketBufferedBytes: positiveInt('maxWebsocketBufferedBytes', o.maxWebsocketBufferedBytes ?? 16 * 1024 * 1024),
    websocketPingIntervalMs: positiveInt('websocketPingIntervalMs', o.websocketPingIntervalMs ?? 27_000),
    corsAllowedOrigins: [...(o.corsAllowedOrigins ?? [])],
  };
}
