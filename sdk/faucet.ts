/**
 * Ask a node's faucet front end for testnet tokens (`POST /faucet`, app/node/faucet-http.ts).
 * Browser-safe: only `fetch`.
 */
export interface RequestFaucetParameters {
  /** Base URL of the faucet, e.g. http://127.0.0.1:8000 */
  url: string;
  /** guts1… address to fund */
  address: string;
  fetch?: typeof fetch;
  signal?: AbortSignal;
}

export interface RequestFaucetReturnType {
  /** hash of the MsgFaucetRequest tx the faucet put in the mempool */
  txhash: string;
  recipient: string;
  /** e.g. "100000000ugut" */
  amount: string;
}

/** A refusal: `codespace`/`code` are the chain's (faucet/3 cooldown, faucet/2 empty, …) or the HTTP layer's (faucet_http/2 rate limited). */
export class FaucetError extends Error {
  override readonly name = 'FaucetError';
  readonly docsPath = '/modules/faucet#http';
  constructor(
    readonly shortMessage: string,
    readonly status: number,
    readonly codespace: string,
    readonly code: number,
    readonly details?: string,
  ) {
    super(details ? `${shortMessage}: ${details}` : shortMessage);
  }
}
export type RequestFaucetErrorType = FaucetError;

export async function requestFaucet(p: RequestFaucetParameters): Promise<RequestFaucetReturnType> {
  const doFetch = p.fetch ?? globalThis.fetch;
  const url = `${p.url.replace(/\/+$/, '')}/faucet`;
  let res: Response;
  try {
    res = await doFetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ address: p.address }), signal: p.signal });
  } catch (err) {
    throw new FaucetError(`cannot reach the faucet at ${url}`, 0, '', 0, (err as Error).message);
  }
  let body: { error?: { code?: number; codespace?: string; message?: string } } & Partial<RequestFaucetReturnType>;
  try {
    body = (await res.json()) as typeof body;
  } catch {
    throw new FaucetError(`the faucet at ${url} answered HTTP ${res.status} without JSON`, res.status, '', 0);
  }
  if (!res.ok || body.error) {
    const e = body.error ?? {};
    throw new FaucetError(`the faucet refused (${e.codespace ?? '?'}/${e.code ?? '?'})`, res.status, e.codespace ?? '', e.code ?? 0, e.message);
  }
  if (typeof body.txhash !== 'string') throw new FaucetError(`the faucet at ${url} sent an unexpected answer`, res.status, '', 0);
  return { txhash: body.txhash, recipient: body.recipient ?? p.address, amount: body.amount ?? '' };
}
