/**
 * Talking to a node's CometBFT RPC through stock cosmjs, with failures reported as one clear
 * line: `cannot reach node at http://127.0.0.1:1: connect ECONNREFUSED 127.0.0.1:1`.
 */
import { Flags } from '@oclif/core';
import { Comet38Client, HttpClient } from '@cosmjs/tendermint-rpc';
import type { comet38 } from '@cosmjs/tendermint-rpc';
import { readClientConfig } from './client-config.js';
import { CliError } from './errors.js';

export const DEFAULT_NODE = 'http://127.0.0.1:26657';
/** Long enough for a simulate or broadcast under load; a dead node fails at connect time anyway. */
const RPC_TIMEOUT_MS = 30_000;

export const nodeFlags = {
  node: Flags.string({
    summary: 'CometBFT RPC address of the node.',
    description: `Default: node in <home>/config/client.toml, else ${DEFAULT_NODE}. tcp:// is read as http://.`,
    env: 'GUTS_NODE',
    helpValue: '<url>',
    helpGroup: 'NODE',
  }),
};

/** `tcp://host:port` (CometBFT's spelling) and bare `host:port` become `http://host:port`. */
export function normalizeNodeUrl(raw: string): string {
  let s = raw.trim();
  if (s.startsWith('tcp://')) s = 'http://' + s.slice('tcp://'.length);
  else if (!/^[a-z]+:\/\//i.test(s)) s = 'http://' + s;
  let url: URL;
  try {
    url = new URL(s);
  } catch {
    throw new CliError(`invalid --node ${JSON.stringify(raw)}: expected a URL such as ${DEFAULT_NODE}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new CliError(`invalid --node ${JSON.stringify(raw)}: only http(s):// and tcp:// RPC addresses are supported`);
  }
  return s.replace(/\/+$/, '');
}

export async function resolveNodeUrl(home: string, flag: string | undefined): Promise<string> {
  return normalizeNodeUrl(flag ?? (await readClientConfig(home)).node ?? DEFAULT_NODE);
}

function causeText(err: unknown): string {
  const c = (err as { cause?: unknown }).cause as (Error & { code?: string; errors?: Error[] }) | undefined;
  if (!c) return (err as Error).message;
  if (c.message) return c.message;
  if (c.errors?.length) return c.errors.map((e) => e.message).join('; '); // AggregateError from dual-stack connects
  return c.code ?? String(c);
}

/** Turn a transport or JSON-RPC failure into a sentence that names the node. */
export function describeNodeError(url: string, err: unknown): Error {
  if (err instanceof CliError) return err;
  if (err instanceof TypeError && (err as { cause?: unknown }).cause !== undefined) {
    // undici's fetch reports every network failure as TypeError("fetch failed", { cause })
    return new CliError(`cannot reach node at ${url}: ${causeText(err)}`);
  }
  if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')) {
    return new CliError(`node at ${url} did not answer within ${RPC_TIMEOUT_MS / 1000}s`);
  }
  const cause = (err as { cause?: { status?: number; body?: string } }).cause;
  if (typeof cause?.status === 'number') {
    return new CliError(`node at ${url} answered HTTP ${cause.status}${cause.body ? `: ${cause.body.slice(0, 200)}` : ''}`);
  }
  // cosmjs' HttpClient throws JSON-RPC errors as Error(JSON.stringify({code, message, data}))
  if (err instanceof Error && err.message.startsWith('{')) {
    try {
      const e = JSON.parse(err.message) as { code?: number; message?: string; data?: string };
      return new CliError(`node at ${url} returned an error: ${[e.message, e.data].filter(Boolean).join(': ')}`);
    } catch {
      /* not JSON: fall through */
    }
  }
  return err instanceof Error ? err : new Error(String(err));
}

export interface NodeConnection {
  url: string;
  comet: Comet38Client;
  status: comet38.StatusResponse;
  chainId: string;
  /** run an RPC call, reporting failures in the node's name */
  call<T>(p: () => Promise<T>): Promise<T>;
  disconnect(): void;
}

/** Connect and fetch `/status` once, so an unreachable node fails here with a clear message. */
export async function connectNode(url: string): Promise<NodeConnection> {
  const comet = Comet38Client.create(new HttpClient(url, RPC_TIMEOUT_MS));
  const call = async <T>(p: () => Promise<T>): Promise<T> => {
    try {
      return await p();
    } catch (err) {
      throw describeNodeError(url, err);
    }
  };
  const status = await call(() => comet.status());
  return { url, comet, status, chainId: status.nodeInfo.network, call, disconnect: () => comet.disconnect() };
}

/**
 * cosmjs reports a failed ABCI query as `Query failed with (<code>): <log>`; show it as
 * `query failed (code 5): <log>`, keeping the node's log, which names the codespace.
 */
export function describeQueryError(err: unknown): { code?: number; message: string } {
  const m = err instanceof Error ? /^Query failed with \((\d+)\): ([\s\S]*)$/.exec(err.message) : null;
  if (!m) return { message: err instanceof Error ? err.message : String(err) };
  return { code: Number(m[1]), message: `query failed (code ${m[1]}): ${m[2]}` };
}
