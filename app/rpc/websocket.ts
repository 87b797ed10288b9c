/**
 * The `/websocket` endpoint: every method, plus event subscriptions. Events for a
 * subscription carry the subscribe request's id (CometBFT ≥ 0.34). Memory is bounded
 * per client by the subscription cap, the unread-bytes cap and the in-flight cap.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import type { Dispatcher } from './dispatch.js';
import { eventsJson, type PublishedEvent } from './events/block-events.js';
import type { EventHub } from './events/hub.js';
import type { EventQuery } from './events/query.js';
import { failure, RpcError, serialize, success, type RpcId, type RpcResponse } from './jsonrpc.js';
import type { SubscriptionSession } from './methods/method.js';
import type { ResolvedOptions } from './options.js';

export const WEBSOCKET_PATH = '/websocket';

/** Requests a client may have running at once on one connection. */
const MAX_IN_FLIGHT = 64;

class Session implements SubscriptionSession {
  private readonly subs = new Map<string, { id: RpcId; cancel: () => void }>();
  alive = true;
  inFlight = 0;

  constructor(
    readonly ws: WebSocket,
    private readonly hub: EventHub,
    private readonly options: ResolvedOptions,
    private readonly subscribedClients: Set<Session>,
  ) {}

  subscribe(id: RpcId, query: EventQuery): void {
    const { maxSubscriptionsPerClient, maxSubscriptionClients } = this.options;
    if (this.subs.has(query.text)) throw RpcError.internal('already subscribed');
    if (this.subs.size >= maxSubscriptionsPerClient) throw RpcError.internal(`max_subscriptions_per_client ${maxSubscriptionsPerClient} reached`);
    if (this.subs.size === 0 && this.subscribedClients.size >= maxSubscriptionClients) {
      throw RpcError.internal(`max_subscription_clients ${maxSubscriptionClients} reached`);
    }
    const cancel = this.hub.subscribe(query, (ev) => this.deliver(id, query, ev));
    this.subs.set(query.text, { id, cancel });
    this.subscribedClients.add(this);
  }

  unsubscribe(query: string): void {
    const sub = this.subs.get(query);
    if (sub === undefined) throw RpcError.internal('subscription not found');
    sub.cancel();
    this.subs.delete(query);
    if (this.subs.size === 0) this.subscribedClients.delete(this);
  }

  unsubscribeAll(): void {
    if (this.subs.size === 0) throw RpcError.internal('subscription not found');
    this.dropSubscriptions();
  }

  /** Cancel every subscription, telling the client why on each subscription's id. */
  cancelAll(reason: string): void {
    const ids = [...this.subs.values()].map((s) => s.id);
    this.dropSubscriptions();
    for (const id of ids) this.send(failure(id, RpcError.server(`subscription was cancelled (reason: ${reason})`)));
  }

  dropSubscriptions(): void {
    for (const s of this.subs.values()) s.cancel();
    this.subs.clear();
    this.subscribedClients.delete(this);
  }

  send(payload: RpcResponse | RpcResponse[]): void {
    if (this.ws.readyState !== WebSocket.OPEN) return;
    let text: string;
    try {
      text = serialize(payload);
    } catch (err) {
      text = serialize(failure(null, RpcError.internal(`cannot encode the response: ${err instanceof Error ? err.message : String(err)}`)));
    }
    this.ws.send(text);
  }

  private deliver(id: RpcId, query: EventQuery, ev: PublishedEvent): void {
    if (this.ws.bufferedAmount > this.options.maxWebsocketBufferedBytes) {
      this.cancelAll('client is not pulling messages fast enough');
      return;
    }
    this.send(success(id, { query: query.text, data: ev.data(), events: eventsJson(ev.events) }));
  }
}

export interface WebsocketEndpoint {
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  close(): void;
}

export function createWebsocketEndpoint(dispatcher: Dispatcher, hub: EventHub, options: ResolvedOptions): WebsocketEndpoint {
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxBodyBytes });
  const sessions = new Set<Session>();
  const subscribedClients = new Set<Session>();
  const log = options.logger;

  wss.on('connection', (ws: WebSocket) => {
    const session = new Session(ws, hub, options, subscribedClients);
    sessions.add(session);
    ws.on('pong', () => {
      session.alive = true;
    });
    ws.on('error', (err) => log.debug({ err: err.message }, 'rpc: websocket error'));
    ws.on('close', () => {
      session.dropSubscriptions();
      sessions.delete(session);
    });
    ws.on('message', (data: RawData) => {
      if (session.inFlight >= MAX_IN_FLIGHT) {
        session.send(failure(idOf(data), RpcError.server(`more than ${MAX_IN_FLIGHT} requests in flight on this connection, retry later`)));
        return;
      }
      if (ws.bufferedAmount > options.maxWebsocketBufferedBytes) {
        ws.close(1008, 'client is not reading responses');
        return;
      }
      session.inFlight++;
      dispatcher
        .handleText(rawToString(data), session)
        .then((resp) => {
          if (resp !== undefined) session.send(resp);
        })
        .catch((err: unknown) => log.error({ err }, 'rpc: unexpected failure handling a websocket message'))
        .finally(() => {
          session.inFlight--;
        });
    });
  });

  // A client that did not answer the last ping is gone (CometBFT pingPeriod/readWait).
  const pinger = setInterval(() => {
    for (const s of sessions) {
      if (!s.alive) {
        s.ws.terminate();
        continue;
      }
      s.alive = false;
      s.ws.ping();
    }
  }, options.websocketPingIntervalMs);
  pinger.unref();

  return {
    handleUpgrade(req, socket, head) {
      socket.on('error', () => undefined);
      const path = (req.url ?? '').split('?')[0];
      if (path !== WEBSOCKET_PATH) {
        socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
    },
    close() {
      clearInterval(pinger);
      for (const s of sessions) {
        s.dropSubscriptions();
        s.ws.terminate();
      }
      sessions.clear();
      wss.close();
    },
  };
}

/** The id of a refused request, so the client can match the refusal to it. */
function idOf(data: RawData): RpcId | null {
  try {
    const id: unknown = (JSON.parse(rawToString(data)) as { id?: unknown } | null)?.id;
    return typeof id === 'string' || (typeof id === 'number' && Number.isFinite(id)) ? id : null;
  } catch {
    return null;
  }
}

function rawToString(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}
