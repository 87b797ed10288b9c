/** The shape of one RPC method: its parameters (in positional order) and handler. */
import type { RpcBackend } from '../backend.js';
import type { EventHub } from '../events/hub.js';
import type { EventQuery } from '../events/query.js';
import type { RpcId } from '../jsonrpc.js';
import type { ResolvedOptions } from '../options.js';
import type { ParamSpec, Params } from '../params.js';

/** Subscription calls need the websocket connection they arrived on. */
export interface SubscriptionSession {
  subscribe(id: RpcId, query: EventQuery): void;
  unsubscribe(query: string): void;
  unsubscribeAll(): void;
}

export interface MethodContext {
  backend: RpcBackend;
  options: ResolvedOptions;
  hub: EventHub;
  /** `tcp://host:port` this server listens on (node_info.other.rpc_address). */
  rpcAddress: string;
  id: RpcId;
  /** Set for calls made over a websocket. */
  session?: SubscriptionSession;
}

export interface Method {
  readonly params: readonly ParamSpec[];
  call(ctx: MethodContext, params: Params): Promise<unknown>;
}

export function method(params: readonly ParamSpec[], call: Method['call']): Method {
  return { params, call };
}

export const P = {
  height: { name: 'height', kind: 'int' },
  hash: { name: 'hash', kind: 'hash' },
  prove: { name: 'prove', kind: 'bool' },
  query: { name: 'query', kind: 'string' },
  page: { name: 'page', kind: 'int' },
  perPage: { name: 'per_page', kind: 'int' },
  orderBy: { name: 'order_by', kind: 'string' },
  tx: { name: 'tx', kind: 'base64' },
} as const satisfies Record<string, ParamSpec>;
