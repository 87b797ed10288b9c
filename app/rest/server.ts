/**
 * The REST gateway's HTTP server (DESIGN §8, port 1317): routes, request body limits,
 * CORS, coded JSON errors with HTTP 400/404/405/413/500. Every answer is JSON.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { applyCors } from '../rpc/http.js';
import type { RestBackend } from './backend.js';
import { ErrBodyTooLarge, ErrMethod, ErrParam, ErrRoute, httpStatus, RestFailure } from './errors.js';
import { height as parseHeight } from './params.js';
import { compile, match, type CompiledRoute } from './route.js';
import { cosmosRoutes } from './routes/cosmos.js';
import { gutsRoutes } from './routes/guts.js';

export interface RestServerOptions {
  backend: RestBackend;
  /** Listen address, e.g. `127.0.0.1`; port 0 picks a free port. */
  host: string;
  port: number;
  /** Origins allowed by CORS (`*` = any); empty = no CORS headers. */
  corsAllowedOrigins?: readonly string[];
  /** Largest accepted request body (default 1 MiB, enough for any tx the mempool takes). */
  maxBodyBytes?: number;
  logger: Pick<Logger, 'info' | 'warn' | 'error'>;
}

export interface RestServer {
  /** e.g. `http://127.0.0.1:1317` */
  readonly address: string;
  readonly port: number;
  close(): Promise<void>;
}

const DEFAULT_MAX_BODY = 1 << 20;
const REQUEST_TIMEOUT_MS = 30_000;
const MAX_URL_LENGTH = 4096;
const CORS_HEADERS = 'Origin, Accept, Content-Type, X-Requested-With, X-Cosmos-Block-Height';

export async function startRestServer(opts: RestServerOptions): Promise<RestServer> {
  const routes = compile([...cosmosRoutes(opts.backend), ...gutsRoutes(opts.backend.query)]);
  const maxBody = opts.maxBodyBytes ?? DEFAULT_MAX_BODY;
  const cors = opts.corsAllowedOrigins ?? [];
  const server: Server = createServer({ requestTimeout: REQUEST_TIMEOUT_MS, headersTimeout: REQUEST_TIMEOUT_MS / 2 });
  server.on('request', (req, res) => {
    handle(routes, maxBody, cors, req, res).catch((err: unknown) => {
      opts.logger.error({ err }, 'rest: unexpected failure handling a request');
      if (!res.headersSent) send(res, 500, RestFailure.from(err).body());
      else res.destroy();
    });
  });
  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (err) => opts.logger.error({ err }, 'rest: server error'));
  const { port } = server.address() as AddressInfo;
  const address = `http://${opts.host.includes(':') ? `[${opts.host}]` : opts.host}:${port}`;
  opts.logger.info({ address }, 'rest: listening');
  let closing: Promise<void> | undefined;
  return {
    address,
    port,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

async function handle(routes: CompiledRoute[], maxBody: number, cors: readonly string[], req: IncomingMessage, res: ServerResponse): Promise<void> {
  setCors(cors, req, res);
  if (req.method === 'OPTIONS') {
    res.writeHead(204).end();
    return;
  }
  try {
    if ((req.url ?? '').length > MAX_URL_LENGTH) throw ErrParam.wrap(`the URL is longer than ${MAX_URL_LENGTH} characters`);
    const url = new URL(req.url ?? '/', 'http://localhost');
    const parts = splitPath(url.pathname);
    const method = req.method === 'HEAD' ? 'GET' : req.method;
    const candidates = routes.map((r) => ({ r, params: match(r, parts) })).filter((c) => c.params !== undefined);
    if (candidates.length === 0) throw ErrRoute.wrap(`${url.pathname}: see app/rest/README.md for the routes this node serves`);
    const found = candidates.find((c) => c.r.method === method);
    if (!found) {
      const allowed = [...new Set(candidates.map((c) => c.r.method))];
      res.setHeader('Allow', [...allowed, 'OPTIONS'].join(', '));
      throw ErrMethod.wrap(`${req.method} ${url.pathname}; use ${allowed.join(' or ')}`);
    }
    let body = '';
    if (method === 'POST') {
      const read = await readBody(req, maxBody);
      if (!read.ok) {
        res.setHeader('Connection', 'close');
        throw ErrBodyTooLarge.wrap(`request body of ${read.size}+ bytes exceeds the limit of ${maxBody} bytes`);
      }
      body = read.text;
    }
    const height = parseHeight(url.searchParams.get('height'), req.headers['x-cosmos-block-height']);
    const result = await found.r.handle({ params: found.params!, query: url.searchParams, height, body });
    if (result.height !== undefined) res.setHeader('x-cosmos-block-height', String(result.height));
    send(res, 200, result.body, req.method === 'HEAD');
  } catch (err) {
    const f = RestFailure.from(err);
    send(res, httpStatus(f.codespace, f.code), f.body(), req.method === 'HEAD');
  }
}

/** Path segments, percent-decoded one by one (so an encoded `/` stays inside its segment). */
function splitPath(pathname: string): string[] {
  return pathname
    .split('/')
    .filter((s) => s !== '')
    .map((s) => {
      try {
        return decodeURIComponent(s);
      } catch {
        throw ErrParam.wrap(`path segment ${JSON.stringify(s.slice(0, 100))} is not valid percent-encoding`);
      }
    });
}

function setCors(allowed: readonly string[], req: IncomingMessage, res: ServerResponse): void {
  applyCors(allowed, req, res, CORS_HEADERS, 'X-Cosmos-Block-Height');
}

type Body = { ok: true; text: string } | { ok: false; size: number };

/** Read at most `limit` bytes; past it the rest is not kept and the connection is closed after the answer. */
function readBody(req: IncomingMessage, limit: number): Promise<Body> {
  return new Promise((resolve) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      req.resume();
      resolve({ ok: false, size: declared });
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (b: Body) => {
      if (!settled) {
        settled = true;
        resolve(b);
      }
    };
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
      else settle({ ok: false, size });
    });
    req.on('end', () => settle(size <= limit ? { ok: true, text: Buffer.concat(chunks).toString('utf8') } : { ok: false, size }));
    req.on('error', () => settle({ ok: false, size }));
  });
}

function send(res: ServerResponse, status: number, payload: unknown, headOnly = false): void {
  if (res.writableEnded || res.destroyed) return;
  const text = JSON.stringify(payload);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(headOnly ? undefined : text);
}
