/**
 * Request/response over one libp2p stream per request (blocksync, commit fetches):
 * the request is one varint-length-prefixed message, the response one message whose
 * first byte is a status. Sizes are checked on the length prefix before anything is
 * buffered; both sides run under a deadline.
 */
import type { Libp2p } from '@libp2p/interface';
import { peerIdFromString } from '@libp2p/peer-id';
import { InvalidDataLengthError, InvalidMessageLengthError, lpStream } from '@libp2p/utils';
import { CodedError } from '../../errors.js';
import { ErrHostConfig, ErrPeerBanned, ErrPeerUnreachable, ErrRemoteHandler, ErrRequestTimeout, ErrRequestTooLarge, ErrResponseTooLarge } from './errors.js';
import type { HostLogger, RequestHandler, RequestHandlerOptions, RequestOptions } from './types.js';

const enum Status {
  Ok = 0,
  HandlerFailed = 1,
  RequestTooLarge = 2,
  ResponseTooLarge = 3,
  HandlerTimeout = 4,
}

export const REQUEST_DEFAULTS = { maxRequestBytes: 1 << 20, maxResponseBytes: 16 << 20 } as const;
const MAX_ERROR_TEXT = 256;
const enc = new TextEncoder();
const dec = new TextDecoder();

export class RequestResponse {
  constructor(
    private readonly libp2p: Libp2p,
    private readonly defaultTimeoutMs: number,
    private readonly log: HostLogger,
    private readonly isBanned: (peer: string) => boolean,
  ) {}

  async handle(protocol: string, handler: RequestHandler, opts: RequestHandlerOptions = {}): Promise<void> {
    const maxRequestBytes = opts.maxRequestBytes ?? REQUEST_DEFAULTS.maxRequestBytes;
    const maxResponseBytes = opts.maxResponseBytes ?? REQUEST_DEFAULTS.maxResponseBytes;
    const timeoutMs = opts.timeoutMs ?? this.defaultTimeoutMs;
    if (!protocol.startsWith('/')) throw ErrHostConfig.wrap(`protocol '${protocol}' must start with '/'`);
    for (const [k, v] of [['maxRequestBytes', maxRequestBytes], ['maxResponseBytes', maxResponseBytes], ['timeoutMs', timeoutMs]] as const) {
      if (!Number.isInteger(v) || v < 1) throw ErrHostConfig.wrap(`${protocol}: ${k} must be a positive integer, got ${v}`);
    }
    await this.libp2p.handle(
      protocol,
      async (stream, connection) => {
        const from = connection.remotePeer.toString();
        if (this.isBanned(from)) {
          stream.abort(new Error('banned'));
          return;
        }
        const signal = AbortSignal.timeout(timeoutMs);
        const lp = lpStream(stream, { maxDataLength: maxRequestBytes });
        const reply = async (status: Status, body: Uint8Array = new Uint8Array(0)): Promise<void> => {
          const out = new Uint8Array(1 + body.length);
          out[0] = status;
          out.set(body, 1);
          await lp.write(out, { signal });
          await stream.close({ signal });
        };
        try {
          let req: Uint8Array;
          try {
            req = (await lp.read({ signal })).subarray();
          } catch (err) {
            if (err instanceof InvalidDataLengthError || err instanceof InvalidMessageLengthError) return await reply(Status.RequestTooLarge);
            throw err;
          }
          let res: Uint8Array;
          try {
            res = await raceSignal(handler(req, from), signal);
          } catch (err) {
            if (signal.aborted) return await reply(Status.HandlerTimeout);
            return await reply(Status.HandlerFailed, enc.encode(String((err as Error)?.message ?? err).slice(0, MAX_ERROR_TEXT)));
          }
          if (res.length > maxResponseBytes) return await reply(Status.ResponseTooLarge);
          await reply(Status.Ok, res);
        } catch (err) {
          this.log.debug({ protocol, peer: from, err: (err as Error).message }, 'request stream failed');
          stream.abort(err as Error);
        }
      },
      { maxInboundStreams: 16 },
    );
  }

  async request(peer: string, protocol: string, req: Uint8Array, opts: RequestOptions = {}): Promise<Uint8Array> {
    const timeoutMs = opts.timeoutMs ?? this.defaultTimeoutMs;
    const maxResponseBytes = opts.maxResponseBytes ?? REQUEST_DEFAULTS.maxResponseBytes;
    if (this.isBanned(peer)) throw ErrPeerBanned.wrap(peer);
    let id;
    try {
      id = peerIdFromString(peer);
    } catch {
      throw ErrPeerUnreachable.wrap(`'${peer}' is not a peer id`);
    }
    const signal = AbortSignal.timeout(timeoutMs);
    let stream;
    try {
      stream = await this.libp2p.dialProtocol(id, protocol, { signal });
    } catch (err) {
      if (signal.aborted) throw ErrRequestTimeout.wrap(`${protocol} to ${peer}: no stream within ${timeoutMs} ms`);
      throw ErrPeerUnreachable.wrap(`${protocol} to ${peer}: ${(err as Error).message}`);
    }
    // one byte of status on top of the body
    const lp = lpStream(stream, { maxDataLength: maxResponseBytes + 1 });
    try {
      await lp.write(req, { signal });
      const res = (await lp.read({ signal })).subarray();
      await stream.close({ signal }).catch(() => undefined);
      return decodeResponse(res, protocol, peer);
    } catch (err) {
      stream.abort(err as Error);
      if (err instanceof CodedError) throw err;
      if (err instanceof InvalidDataLengthError || err instanceof InvalidMessageLengthError) throw ErrResponseTooLarge.wrap(`${protocol} from ${peer}: over ${maxResponseBytes} bytes`);
      if (signal.aborted) throw ErrRequestTimeout.wrap(`${protocol} to ${peer}: no response within ${timeoutMs} ms`);
      throw ErrPeerUnreachable.wrap(`${protocol} to ${peer}: ${(err as Error).message}`);
    }
  }
}

function decodeResponse(res: Uint8Array, protocol: string, peer: string): Uint8Array {
  const body = res.subarray(1);
  switch (res[0]) {
    case Status.Ok:
      return body;
    case Status.HandlerFailed:
      throw ErrRemoteHandler.wrap(`${protocol} at ${peer}: ${dec.decode(body.subarray(0, MAX_ERROR_TEXT))}`);
    case Status.RequestTooLarge:
      throw ErrRequestTooLarge.wrap(`${protocol} at ${peer} refused the request`);
    case Status.ResponseTooLarge:
      throw ErrResponseTooLarge.wrap(`${protocol} at ${peer}: the response is over the handler's limit`);
    case Status.HandlerTimeout:
      throw ErrRequestTimeout.wrap(`${protocol} at ${peer}: the handler ran out of time`);
    default:
      throw ErrPeerUnreachable.wrap(`${protocol} at ${peer}: unknown response status ${res[0]}`);
  }
}

function raceSignal<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new Error('deadline'));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
