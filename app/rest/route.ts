/** A REST route: method, path pattern, handler. Patterns match segment by segment. */
import type { RequestQuery, ResponseQuery } from 'cosmjs-types/tendermint/abci/types';
import { RestFailure } from './errors.js';
import { toProtoJson, type EnumFields, type JsonOptions } from './json.js';

export interface RouteRequest {
  /** Decoded path parameters (`:name`, and `*name` for the rest of the path). */
  params: Readonly<Record<string, string>>;
  query: URLSearchParams;
  /** Height asked for (`?height=` or `x-cosmos-block-height`); 0 = latest. */
  height: number;
  /** Request body (POST), already size-checked. */
  body: string;
}

export interface RouteResult {
  body: unknown;
  /** Height the answer was read at (sent as `x-cosmos-block-height`). */
  height?: number;
}

export interface Route {
  method: 'GET' | 'POST';
  /** e.g. `/cosmos/bank/v1beta1/balances/:address/by_denom`; `*ref` takes the remaining segments. */
  pattern: string;
  handle(req: RouteRequest): Promise<RouteResult>;
}

export type AbciQuery = (req: RequestQuery) => Promise<ResponseQuery>;

/** Run a gRPC-path query through the app's query router; a refusal becomes a RestFailure with its code. */
export async function grpcQuery(query: AbciQuery, path: string, data: Uint8Array, height: number): Promise<{ value: Uint8Array; height: number }> {
  const res = await query({ path, data, height: BigInt(height), prove: false });
  if (res.code !== 0) throw new RestFailure(res.codespace || 'sdk', res.code, res.log);
  return { value: res.value, height: Number(res.height) };
}

interface Codec<T> {
  encode(msg: T): { finish(): Uint8Array };
  decode(bytes: Uint8Array): unknown;
  fromPartial(obj: object): T;
}

/** A GET route answering one gRPC query: `request` builds the request from the validated parameters. */
export function queryRoute<Req>(
  query: AbciQuery,
  pattern: string,
  path: string,
  req: Codec<Req>,
  res: { decode(bytes: Uint8Array): unknown },
  request: (r: RouteRequest) => object,
  json: JsonOptions | EnumFields = {},
): Route {
  const opts: JsonOptions = 'enums' in json || 'anys' in json ? (json as JsonOptions) : { enums: json as EnumFields };
  return {
    method: 'GET',
    pattern,
    async handle(r) {
      const data = req.encode(req.fromPartial(request(r))).finish();
      const out = await grpcQuery(query, path, data, r.height);
      return { body: toProtoJson(res.decode(out.value), opts), height: out.height };
    },
  };
}

export interface CompiledRoute extends Route {
  segments: string[];
}

export function compile(routes: Route[]): CompiledRoute[] {
  return routes.map((r) => ({ ...r, segments: r.pattern.split('/').filter(Boolean) }));
}

/** Match a path (already split into decoded segments); `undefined` when the shape differs. */
export function match(route: CompiledRoute, parts: string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (let i = 0; i < route.segments.length; i++) {
    const s = route.segments[i]!;
    if (s.startsWith('*')) {
      if (i >= parts.length) return undefined;
      params[s.slice(1)] = parts.slice(i).join('/');
      return params;
    }
    const p = parts[i];
    if (p === undefined) return undefined;
    if (s.startsWith(':')) params[s.slice(1)] = p;
    else if (s !== p) return undefined;
  }
  return parts.length === route.segments.length ? params : undefined;
}
