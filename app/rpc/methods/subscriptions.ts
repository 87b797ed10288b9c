/** subscribe / unsubscribe / unsubscribe_all: websocket only, as in CometBFT. */
import { parseQuery, QueryParseError } from '../events/query.js';
import { ErrorCode, RpcError } from '../jsonrpc.js';
import { method, P, type Method, type MethodContext, type SubscriptionSession } from './method.js';

function sessionOf(ctx: MethodContext, name: string): SubscriptionSession {
  if (ctx.session === undefined) {
    throw new RpcError(ErrorCode.MethodNotFound, `${name} is only available over the websocket endpoint /websocket`);
  }
  return ctx.session;
}

const subscribe = method([P.query], async (ctx, p) => {
  const session = sessionOf(ctx, 'subscribe');
  const text = p.requireString('query');
  let query;
  try {
    query = parseQuery(text);
  } catch (err) {
    if (err instanceof QueryParseError) throw RpcError.invalidParams(`failed to parse query: ${err.message}`);
    throw err;
  }
  session.subscribe(ctx.id, query);
  return {};
});

const unsubscribe = method([P.query], async (ctx, p) => {
  sessionOf(ctx, 'unsubscribe').unsubscribe(p.requireString('query'));
  return {};
});

const unsubscribeAll = method([], async (ctx) => {
  sessionOf(ctx, 'unsubscribe_all').unsubscribeAll();
  return {};
});

export const subscriptionMethods: Record<string, Method> = {
  subscribe,
  unsubscribe,
  unsubscribe_all: unsubscribeAll,
};
