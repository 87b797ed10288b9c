/**
 * HTTP transport: JSON-RPC over POST (single or batch), URI calls over GET
 * (`/status`, `/block?height=5`), an endpoint list at `/`, optional CORS. Every
 * JSON-RPC outcome, errors included, is sent with status 200.
 */
import { Buffer } from 'node:buffer';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Dispatcher } from './dispatch.js';
import { failure, RpcError, serialize, type RpcResponse } from './jsonrpc.js';
import { METHODS, WEBSOCKET_ONLY } from './methods/index.js';
import type { ResolvedOptions } from './options.js';

/** Past this many bytes beyond the limit an oversized body is no longer drained but cut off. */
const DRAIN_FACTOR = 8;

const CORS_ALLOWED_HEADERS = 'Origin, Accept, Content-Type, X-Requested-With, X-Server-Time';

export function createHttpHandler(dispatcher: Dispatcher, options: ResolvedOptions): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    handle(dispatcher, options, req, res).catch((err: unknown) => {
      options.logger.error({ err }, 'rpc: unexpected failure handling an HTTP request');
      if (!res.headersSent) sendJson(res, failure(null, RpcError.internal('unexpected server failure')));
      else res.destroy();
    });
  };
}

async function handle(dispatcher: Dispatcher, options: ResolvedOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  setCorsHeaders(options, req, res);
  switch (req.method) {
    case 'OPTIONS':
      res.writeHead(204).end();
      return;
    case 'POST': {
      const body = await readBody(req, options.maxBodyBytes);
      if (!body.ok) {
        res.setHeader('Connection', 'close');
        sendJson(res, failure(null, RpcError.invalidParams(`request body of ${body.size}+ bytes exceeds the limit of ${options.maxBodyBytes} bytes`)));
        if (body.cutOff) res.once('finish', () => req.destroy());
        return;
      }
      sendJson(res, await dispatcher.handleText(body.text));
      return;
    }
    case 'GET':
    case 'HEAD': {
      let url: URL;
      try {
        url = new URL(req.url ?? '/', 'http://localhost');
      } catch {
        sendJson(res, failure(-1, RpcError.invalidRequest('malformed request URL')));
        return;
      }
      if (url.pathname === '/' || url.pathname === '') {
        sendIndex(res);
        return;
      }
      sendJson(res, await dispatcher.handleUri(decodeURIComponentSafe(url.pathname.slice(1)), url.searchParams));
      return;
    }
    default:
      res.writeHead(405, { Allow: 'GET, HEAD, POST, OPTIONS' }).end();
  }
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function setCorsHeaders(options: ResolvedOptions, req: IncomingMessage, res: ServerResponse): void {
  applyCors(options.corsAllowedOrigins, req, res, CORS_ALLOWED_HEADERS);
}

/** CORS for the node's HTTP servers (RPC, REST): `*` or an exact origin from `allowed`; nothing when it is empty. */
export function applyCors(allowed: readonly string[], req: IncomingMessage, res: ServerResponse, allowHeaders: string, exposeHeaders?: string): void {
  if (allowed.length === 0) return;
  const origin = req.headers.origin;
  if (allowed.includes('*')) res.setHeader('Access-Control-Allow-Origin', '*');
  else if (origin !== undefined && allowed.includes(origin)) {
    res.setHeader('Access-Control-Allow-Origin', origin);
    res.setHeader('Vary', 'Origin');
  } else return;
  res.setHeader('Access-Control-Allow-Methods', 'GET, HEAD, POST, OPTIONS');
  res.setHeader('Access-Control-Allow-Headers', allowHeaders);
  if (exposeHeaders) res.setHeader('Access-Control-Expose-Headers', exposeHeaders);
}

type Body = { ok: true; text: string } | { ok: false; size: number; cutOff: boolean };

/**
 * Read at most `limit` bytes. An oversized body is drained (so the client reads our
 * error instead of a reset connection) up to DRAIN_FACTOR × limit, then cut off.
 */
function readBody(req: IncomingMessage, limit: number): Promise<Body> {
  return new Promise((resolve) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit * DRAIN_FACTOR) {
      resolve({ ok: false, size: declared, cutOff: true });
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (b: Body): void => {
      if (!settled) {
        settled = true;
        resolve(b);
      }
    };
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
      else if (size > limit * DRAIN_FACTOR) {
        req.pause();
        settle({ ok: false, size, cutOff: true });
      }
    });
    req.on('end', () => settle(size <= limit ? { ok: true, text: Buffer.concat(chunks).toString('utf8') } : { ok: false, size, cutOff: false }));
    req.on('error', () => settle({ ok: false, size, cutOff: true }));
    req.on('close', () => settle({ ok: false, size, cutOff: true }));
  });
}

function sendJson(res: ServerResponse, payload: RpcResponse | RpcResponse[] | undefined): void {
  if (res.writableEnded || res.destroyed) return;
  let text = '';
  if (payload !== undefined) {
    try {
      text = serialize(payload);
    } catch (err) {
      text = serialize(failure(null, RpcError.internal(`cannot encode the response: ${err instanceof Error ? err.message : String(err)}`)));
    }
  }
  res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function sendIndex(res: ServerResponse): void {
  const names = [...METHODS.keys()].filter((n) => !WEBSOCKET_ONLY.has(n)).sort();
  const links = names.map((n) => `<a href="/${n}">/${n}</a>`).join('<br>\n');
  const html = `<html><body>\n<br>Available endpoints:<br>\n${links}\n<br>Websocket: /websocket (subscribe, unsubscribe, unsubscribe_all)\n</body></html>\n`;
  res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': Buffer.byteLength(html) });
  res.end(html);
}
