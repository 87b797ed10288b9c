/**
 * JSON-RPC 2.0 request handling shared by HTTP and websocket: parse, validate the
 * envelope, run the method, and turn every failure into an error response. Nothing a
 * client sends can make this throw.
 */
import type { RpcBackend } from './backend.js';
import type { EventHub } from './events/hub.js';
import { failure, RpcError, success, toRpcError, URI_REQUEST_ID, type RpcId, type RpcResponse } from './jsonrpc.js';
import { METHODS, WEBSOCKET_ONLY } from './methods/index.js';
import type { Method, SubscriptionSession } from './methods/method.js';
import type { ResolvedOptions } from './options.js';
import { paramsFromJson, paramsFromQuery, type Params } from './params.js';

export class Dispatcher {
  constructor(
    private readonly backend: RpcBackend,
    private readonly options: ResolvedOptions,
    private readonly hub: EventHub,
    private readonly rpcAddress: string,
  ) {}

  /**
   * A POST body or websocket message. Returns one response, an array for a batch, or
   * undefined when everything in it was a notification (no id), which gets no answer.
   */
  async handleText(text: string, session?: SubscriptionSession): Promise<RpcResponse | RpcResponse[] | undefined> {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (err) {
      return failure(null, RpcError.parse(`error unmarshaling request: ${err instanceof Error ? err.message : String(err)}`));
    }
    if (!Array.isArray(body)) return this.handleRequest(body, session);
    if (body.length === 0) return failure(null, RpcError.invalidRequest('empty batch'));
    if (body.length > this.options.maxBatchRequests) {
      return failure(null, RpcError.invalidRequest(`batch of ${body.length} requests exceeds the limit of ${this.options.maxBatchRequests}`));
    }
    // In order, one at a time: txs from one sender in a batch must reach the mempool in sequence.
    const responses: RpcResponse[] = [];
    for (const item of body) {
      const r = await this.handleRequest(item, session);
      if (r !== undefined) responses.push(r);
    }
    return responses.length > 0 ? responses : undefined;
  }

  /** A URI call, `GET /<method>?<params>`, answered with id -1. */
  async handleUri(name: string, query: URLSearchParams): Promise<RpcResponse> {
    const m = METHODS.get(name);
    if (m === undefined || WEBSOCKET_ONLY.has(name)) return failure(URI_REQUEST_ID, RpcError.methodNotFound(name));
    return this.run(name, m, URI_REQUEST_ID, () => paramsFromQuery(m.params, query));
  }

  private async handleRequest(req: unknown, session?: SubscriptionSession): Promise<RpcResponse | undefined> {
    if (typeof req !== 'object' || req === null || Array.isArray(req)) {
      return failure(null, RpcError.invalidRequest('a request must be a JSON object'));
    }
    const r = req as Record<string, unknown>;
    const rawId = r.id;
    const isNotification = rawId === undefined || rawId === null;
    const idOk = isNotification || typeof rawId === 'string' || (typeof rawId === 'number' && Number.isFinite(rawId));
    if (!idOk) return failure(null, RpcError.invalidRequest('id must be a string or a number'));
    const id = isNotification ? null : (rawId as RpcId);
    if (r.jsonrpc !== '2.0') return failure(id, RpcError.invalidRequest('jsonrpc must be "2.0"'));
    if (typeof r.method !== 'string') return failure(id, RpcError.invalidRequest('method must be a string'));
    // CometBFT does not run notifications (rpc/jsonrpc/server/http_json_handler.go).
    if (id === null) return undefined;
    const m = METHODS.get(r.method);
    if (m === undefined) return failure(id, RpcError.methodNotFound(r.method));
    return this.run(r.method, m, id, () => paramsFromJson(m.params, r.params), session);
  }

  private async run(name: string, m: Method, id: RpcId, parse: () => Params, session?: SubscriptionSession): Promise<RpcResponse> {
    try {
      const params = parse();
      const result = await m.call({ backend: this.backend, options: this.options, hub: this.hub, rpcAddress: this.rpcAddress, id, session }, params);
      return success(id, result);
    } catch (err) {
      if (!(err instanceof RpcError)) this.options.logger.warn({ err, method: name }, 'rpc: method failed');
      return failure(id, toRpcError(err));
    }
  }
}
