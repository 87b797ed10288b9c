/**
 * The faucet's HTTP front end (issue 4): `POST /faucet {"address": "guts1…"}`.
 *
 * Design: the node holds a faucet *operator* key (a plain secp256k1 account, created and
 * funded by `guts devnet`) and signs `MsgFaucetRequest{sender: operator, recipient}` with
 * it; the chain's faucet module pays from the `faucet` module account and enforces the
 * per-recipient cooldown and lifetime limit. The operator only pays fees, so a leaked
 * operator key can at worst spend its fee money. The HTTP layer adds what the chain
 * cannot see: a per-IP rate limit, a bounded queue, body size and JSON checks.
 *
 * Each request is simulated first (the faucet's coded errors — cooldown, limit, empty —
 * come back at once, and the simulation sizes the gas), then signed with the next
 * sequence and put in the mempool. Requests are serialised so sequences stay in order.
 * Every answer is JSON; errors are `{"error": {"code", "codespace", "message"}}`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fromHex, toHex } from '@cosmjs/encoding';
import { AuthInfo, TxBody, TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import { SignMode } from 'cosmjs-types/cosmos/tx/signing/v1beta1/signing';
import { PubKey } from 'cosmjs-types/cosmos/crypto/secp256k1/keys';
import { TxMsgData } from 'cosmjs-types/cosmos/base/abci/v1beta1/abci';
import { sha256 } from '@noble/hashes/sha2.js';
// noble, not @cosmjs/proto-signing: the CLI loads node.ts for `guts devnet`, and oclif loads
// commands concurrently; cosmjs' CJS require() of @noble/curves races its ESM import there
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { addressFromPubkey } from '../keyring/derive.js';
import { directSignBytes } from '../tx/signdoc.js';
import { addressBytes } from '../chain/address.js';
import { abciError, ErrInvalidRequest, ErrJSONUnmarshal, ErrWrongSequence, registerError } from '../errors.js';
import { parseDecCoins, requiredFees } from '../tx/fees.js';
import { MsgFaucetRequest, MsgFaucetRequestResponse } from '../../proto/gen/guts/faucet/v1/tx.js';
import type { Logger } from './logger.js';
import { parseListenAddress, type FaucetConfig } from './config.js';

// codespace `faucet_http`: refusals of the HTTP layer (the chain's own are codespace `faucet`)
export const ErrRateLimited = registerError('faucet_http', 2, 'too many faucet requests from this address');
export const ErrBusy = registerError('faucet_http', 3, 'faucet is busy');
export const ErrRoute = registerError('faucet_http', 4, 'no such route');
export const ErrOperatorKey = registerError('faucet_http', 5, 'faucet operator key unusable');

const TYPE_URL = '/guts.faucet.v1.MsgFaucetRequest';
const MAX_BODY = 4096;
/** Gas from simulation × 1.3, as the CLI's default --gas-adjustment. */
const GAS_NUM = 13n;
const GAS_DEN = 10n;

export interface FaucetChain {
  chainId: string;
  /** Committed account number and sequence. */
  account(address: string): Promise<{ accountNumber: bigint; sequence: bigint } | undefined>;
  simulate(tx: Uint8Array): Promise<{ gasUsed: bigint; data: Uint8Array }>;
  /** CheckTx and admit to the mempool. */
  broadcast(tx: Uint8Array): Promise<{ code: number; codespace: string; log: string }>;
  /** Whether a tx (by sha256 hash) is still waiting in the mempool. */
  pending(hash: Uint8Array): boolean;
}

export interface FaucetHttpOptions {
  chain: FaucetChain;
  /** 32-byte secp256k1 private key of the operator account. */
  operatorKey: Uint8Array;
  host: string;
  port: number;
  /** Node minimum gas prices, e.g. "0.025ugut": the fee paid per unit of gas. */
  gasPrices: string;
  /** Requests per IP per window (default 5 per 60 s). */
  ratePerIp?: number;
  rateWindowMs?: number;
  /** Most requests waiting for their turn (default 64); more get faucet_http/3. */
  maxQueue?: number;
  logger?: Logger;
  /** Clock for the rate limit (tests). */
  now?: () => number;
}

export interface FaucetHttpServer {
  address: string;
  operator: string;
  close(): Promise<void>;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    readonly codespace: string,
    message: string,
  ) {
    super(message);
  }
}

function fromCoded(err: unknown, status: number): HttpError {
  const e = abciError(err);
  return new HttpError(e.code === 1 ? 500 : status, e.code, e.codespace, e.code === 1 ? 'internal error' : e.log);
}

/** HTTP status for a chain refusal: cooldown and limit are the client's, empty/disabled the faucet's. */
function statusFor(codespace: string, code: number): number {
  if (codespace === 'faucet') return code === 3 ? 429 : code === 4 ? 403 : code === 2 || code === 5 ? 503 : 400;
  if (codespace === 'sdk' && (code === 5 || code === 13)) return 503; // operator out of fee money
  return 400;
}

/** A per-IP fixed-window counter with a bounded table. */
function rateLimiter(limit: number, windowMs: number, now: () => number) {
  const seen = new Map<string, { start: number; count: number }>();
  return (ip: string): boolean => {
    const t = now();
    if (seen.size > 10_000) for (const [k, v] of seen) if (t - v.start >= windowMs) seen.delete(k);
    const e = seen.get(ip);
    if (!e || t - e.start >= windowMs) {
      if (seen.size > 50_000) return false; // a flood of distinct addresses: refuse until windows expire
      seen.set(ip, { start: t, count: 1 });
      return true;
    }
    e.count++;
    return e.count <= limit;
  };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new HttpError(413, ErrInvalidRequest.code, 'sdk', `request body larger than ${MAX_BODY} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseRequest(body: string): string {
  let j: unknown;
  try {
    j = JSON.parse(body);
  } catch {
    throw fromCoded(ErrJSONUnmarshal.wrap('body is not JSON; send {"address": "guts1…"}'), 400);
  }
  if (typeof j !== 'object' || j === null || Array.isArray(j) || typeof (j as { address?: unknown }).address !== 'string') {
    throw fromCoded(ErrInvalidRequest.wrap('expected {"address": "guts1…"}'), 400);
  }
  const address = (j as { address: string }).address;
  try {
    addressBytes(address);
  } catch (e) {
    throw fromCoded(e, 400);
  }
  return address;
}

export async function startFaucetHttp(opts: FaucetHttpOptions): Promise<FaucetHttpServer> {
  if (!(opts.operatorKey instanceof Uint8Array) || opts.operatorKey.length !== 32) throw ErrOperatorKey.wrap('expected a 32-byte secp256k1 private key');
  if (!secp256k1.utils.isValidSecretKey(opts.operatorKey)) throw ErrOperatorKey.wrap('not a valid secp256k1 private key');
  const operatorKey = opts.operatorKey;
  const compressed = secp256k1.getPublicKey(operatorKey, true);
  const operator = addressFromPubkey(compressed);
  const publicKey = { typeUrl: '/cosmos.crypto.secp256k1.PubKey', value: PubKey.encode({ key: compressed }).finish() };
  const price = parseDecCoins(opts.gasPrices).filter((p) => p.amount > 0n);
  const allow = rateLimiter(opts.ratePerIp ?? 5, opts.rateWindowMs ?? 60_000, opts.now ?? Date.now);
  const maxQueue = opts.maxQueue ?? 64;
  const { chain, logger } = opts;

  // sequence bookkeeping: the next sequence to sign with, and our txs still in the mempool
  let nextSequence: bigint | undefined;
  let accountNumber = 0n;
  const inFlight: Uint8Array[] = [];
  const resync = async () => {
    const acc = await chain.account(operator);
    if (!acc) throw new HttpError(503, ErrOperatorKey.code, ErrOperatorKey.codespace, `faucet operator ${operator} has no account on chain: fund it`);
    accountNumber = acc.accountNumber;
    const still = inFlight.filter((h) => chain.pending(h));
    inFlight.splice(0, inFlight.length, ...still);
    nextSequence = acc.sequence + BigInt(still.length);
  };

  const build = async (recipient: string, gas: bigint, sequence: bigint): Promise<Uint8Array> => {
    const bodyBytes = TxBody.encode(
      TxBody.fromPartial({ messages: [{ typeUrl: TYPE_URL, value: MsgFaucetRequest.encode({ sender: operator, recipient }).finish() }], memo: 'guts faucet' }),
    ).finish();
    const fee = requiredFees(price, gas).map((c) => ({ denom: c.denom, amount: c.amount.toString() }));
    const authInfoBytes = AuthInfo.encode(
      AuthInfo.fromPartial({
        signerInfos: [{ publicKey, modeInfo: { single: { mode: SignMode.SIGN_MODE_DIRECT } }, sequence }],
        fee: { amount: fee, gasLimit: gas },
      }),
    ).finish();
    // noble signs sha256(sign bytes), low-S, 64-byte r‖s: what the ante handler verifies
    const signature = secp256k1.sign(directSignBytes({ bodyBytes, authInfoBytes, chainId: chain.chainId, accountNumber }), operatorKey);
    return TxRaw.encode({ bodyBytes, authInfoBytes, signatures: [signature] }).finish();
  };

  const dispense = async (recipient: string, retry = true): Promise<Record<string, unknown>> => {
    if (nextSequence === undefined) await resync();
    const sequence = nextSequence!;
    let sim: { gasUsed: bigint; data: Uint8Array };
    try {
      sim = await chain.simulate(await build(recipient, 0n, sequence));
    } catch (err) {
      const e = abciError(err);
      if (retry && e.codespace === 'sdk' && e.code === ErrWrongSequence.code) {
        await resync();
        return dispense(recipient, false);
      }
      throw new HttpError(statusFor(e.codespace, e.code), e.code, e.codespace, e.code === 1 ? 'internal error' : e.log);
    }
    const gas = (sim.gasUsed * GAS_NUM + GAS_DEN - 1n) / GAS_DEN;
    const tx = await build(recipient, gas, sequence);
    const res = await chain.broadcast(tx);
    if (res.code !== 0) {
      if (retry && res.codespace === 'sdk' && res.code === ErrWrongSequence.code) {
        await resync();
        return dispense(recipient, false);
      }
      throw new HttpError(statusFor(res.codespace, res.code), res.code, res.codespace, res.log);
    }
    const hash = sha256(tx);
    inFlight.push(hash);
    if (inFlight.length > 1000) inFlight.shift();
    nextSequence = sequence + 1n;
    const amount = MsgFaucetRequestResponse.decode(TxMsgData.decode(sim.data).msgResponses[0]?.value ?? new Uint8Array()).amount;
    return { txhash: toHex(hash).toUpperCase(), recipient, amount: amount ? `${amount.amount}${amount.denom}` : '' };
  };

  // one request at a time, in arrival order
  let tail: Promise<unknown> = Promise.resolve();
  let queued = 0;
  const enqueue = (recipient: string): Promise<Record<string, unknown>> => {
    if (queued >= maxQueue) return Promise.reject(new HttpError(503, ErrBusy.code, ErrBusy.codespace, `${maxQueue} requests are waiting; retry in a few seconds`));
    queued++;
    const run = tail.then(() => dispense(recipient)).finally(() => queued--);
    tail = run.catch(() => undefined);
    return run;
  };

  const send = (res: ServerResponse, status: number, body: unknown) => {
    if (res.headersSent || res.destroyed) return;
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), 'access-control-allow-origin': '*' });
    res.end(text);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'OPTIONS') {
      res.writeHead(204, { 'access-control-allow-origin': '*', 'access-control-allow-methods': 'GET, POST', 'access-control-allow-headers': 'content-type' });
      return res.end();
    }
    if (path === '/faucet' && req.method === 'GET') return send(res, 200, { chain_id: chain.chainId, operator, usage: 'POST /faucet {"address": "guts1…"}' });
    if (path !== '/faucet' || req.method !== 'POST') throw new HttpError(404, ErrRoute.code, ErrRoute.codespace, `${req.method} ${path.slice(0, 100)}: use POST /faucet {"address": "guts1…"}`);
    const ip = req.socket.remoteAddress ?? 'unknown';
    if (!allow(ip)) throw new HttpError(429, ErrRateLimited.code, ErrRateLimited.codespace, `${ip} sent more than ${opts.ratePerIp ?? 5} requests in ${(opts.rateWindowMs ?? 60_000) / 1000} s`);
    const recipient = parseRequest(await readBody(req));
    const out = await enqueue(recipient);
    logger?.info({ recipient, txhash: out.txhash, ip }, 'faucet request');
    send(res, 200, out);
  };

  const server: Server = createServer((req, res) => {
    req.on('error', () => undefined);
    handle(req, res).catch((err: unknown) => {
      const e = err instanceof HttpError ? err : fromCoded(err, 500);
      if (e.status >= 500 && !(err instanceof HttpError)) logger?.error({ err: (err as Error)?.message }, 'faucet request failed');
      send(res, e.status, { error: { code: e.code, codespace: e.codespace, message: e.message } });
      // a body we stopped reading (too large) must not keep the socket busy
      if (e.status === 413) req.destroy();
    });
  });
  server.requestTimeout = 10_000;
  server.headersTimeout = 5_000;
  server.on('clientError', (_err, socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  const a = server.address() as AddressInfo;
  const address = `http://${a.family === 'IPv6' ? `[${a.address}]` : a.address}:${a.port}`;
  logger?.info({ address, operator }, 'faucet HTTP server listening');
  return {
    address,
    operator,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** The operator key file (0600): `{"type": "secp256k1", "address": "guts1…", "private_key": "<64 hex>"}`. */
export function parseOperatorKeyFile(text: string, path: string): Uint8Array {
  let j: { private_key?: unknown };
  try {
    j = JSON.parse(text) as { private_key?: unknown };
  } catch {
    throw ErrOperatorKey.wrap(`${path} is not JSON`);
  }
  if (typeof j.private_key !== 'string' || !/^[0-9a-f]{64}$/.test(j.private_key)) throw ErrOperatorKey.wrap(`${path}: private_key must be 64 lower-case hex characters`);
  return fromHex(j.private_key);
}

export interface NodeFaucetParts {
  home: string;
  config: FaucetConfig;
  chainId: string;
  gasPrices: string;
  app: { simulate(tx: Uint8Array): Promise<{ gasUsed: bigint; data: Uint8Array }> };
  state: { readAt(): Promise<import('../store/types.js').KVReader> };
  accounts: { getAccount(ctx: { store: import('../store/types.js').KVReader }, address: string): Promise<{ accountNumber: bigint; sequence: bigint } | undefined> };
  mempool: { add(tx: Uint8Array): Promise<{ code: number; codespace: string; log: string }>; has(hash: Uint8Array): boolean };
  logger: Logger;
}

/**
 * Start the faucet HTTP server of a node when `faucet.enabled`. A port already in use is
 * logged and skipped (the faucet is a convenience; the node runs on without it).
 */
export async function startNodeFaucet(p: NodeFaucetParts): Promise<FaucetHttpServer | undefined> {
  if (!p.config.enabled) return undefined;
  const listen = parseListenAddress(p.config.laddr);
  const { readFile } = await import('node:fs/promises');
  const { isAbsolute, join } = await import('node:path');
  const path = isAbsolute(p.config.keyFile) ? p.config.keyFile : join(p.home, p.config.keyFile);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw ErrOperatorKey.wrap(`faucet.enabled is true but ${path} cannot be read (${(e as Error).message}); create it or set faucet.enabled: false`);
  }
  try {
    return await startFaucetHttp({
      chain: {
        chainId: p.chainId,
        account: async (address) => p.accounts.getAccount({ store: await p.state.readAt() }, address),
        simulate: (tx) => p.app.simulate(tx),
        broadcast: (tx) => p.mempool.add(tx),
        pending: (hash) => p.mempool.has(hash),
      },
      operatorKey: parseOperatorKeyFile(text, path),
      host: listen.host,
      port: listen.port,
      gasPrices: p.gasPrices,
      ratePerIp: p.config.ratePerIp,
      rateWindowMs: p.config.rateWindowSeconds * 1000,
      logger: p.logger,
    });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      p.logger.warn({ laddr: p.config.laddr }, 'faucet HTTP port in use: running without the faucet front end (set faucet.laddr)');
      return undefined;
    }
    throw err;
  }
}
