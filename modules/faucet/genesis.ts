import type { Context } from '../../app/chain/context.js';
import { addressBytes } from '../../app/chain/address.js';
import { CodedError } from '../../app/errors.js';
import { GenesisError, expectArray, expectObject, expectString, expectUint, rejectUnknownKeys } from '../../app/chain/genesis-error.js';
import type { FaucetKeeper, RecipientRecord } from './keeper.js';
import { MAX_AMOUNT } from '../../app/chain/coins.js';
import { defaultFaucetParams, getFaucetParam, MAX_COOLDOWN_SECONDS, parseCoinParam, validateFaucetParams, type FaucetParams } from './params.js';

/**
 * The faucet's coins are not here: fund the `faucet` module account with a bank genesis
 * balance (its address is in README.md; `guts devnet` does it).
 */
export interface FaucetGenesis {
  params: FaucetParams;
  /** Sorted by address bytes. */
  recipients: { address: string; record: RecipientRecord }[];
}

export function defaultFaucetGenesis(): FaucetGenesis {
  return { params: defaultFaucetParams(), recipients: [] };
}

function at<T>(path: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof CodedError) throw new GenesisError(path, e.message);
    throw e;
  }
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

function paramsFromJson(raw: unknown, path: string): FaucetParams {
  const o = expectObject(raw, path);
  rejectUnknownKeys(o, ['enabled', 'amount_per_request', 'lifetime_limit', 'cooldown_seconds'], path);
  if (typeof o.enabled !== 'boolean') throw new GenesisError(`${path}.enabled`, 'expected true or false');
  const coin = expectObject(o.amount_per_request, `${path}.amount_per_request`);
  rejectUnknownKeys(coin, ['denom', 'amount'], `${path}.amount_per_request`);
  const p: FaucetParams = {
    enabled: o.enabled,
    amountPerRequest: at(`${path}.amount_per_request`, () => parseCoinParam(`${expectString(coin.amount, `${path}.amount_per_request.amount`)}${expectString(coin.denom, `${path}.amount_per_request.denom`)}`)),
    lifetimeLimit: expectUint(o.lifetime_limit, `${path}.lifetime_limit`, { max: MAX_AMOUNT }),
    cooldownSeconds: expectUint(o.cooldown_seconds, `${path}.cooldown_seconds`, { max: MAX_COOLDOWN_SECONDS }),
  };
  at(path, () => validateFaucetParams(p));
  return p;
}

export function validateFaucetGenesis(raw: unknown, path: string): FaucetGenesis {
  const o = expectObject(raw, path);
  rejectUnknownKeys(o, ['params', 'recipients'], path);
  const params = paramsFromJson(o.params, `${path}.params`);
  const seen = new Set<string>();
  const recipients = expectArray(o.recipients ?? [], `${path}.recipients`).map((r, i) => {
    const p = `${path}.recipients[${i}]`;
    const ro = expectObject(r, p);
    rejectUnknownKeys(ro, ['address', 'total_received', 'last_request_time', 'requests'], p);
    const address = expectString(ro.address, `${p}.address`);
    at(`${p}.address`, () => addressBytes(address));
    if (seen.has(address)) throw new GenesisError(`${p}.address`, `duplicate recipient ${address}`);
    seen.add(address);
    return {
      address,
      record: {
        // a record exists because something was paid out
        totalReceived: expectUint(ro.total_received, `${p}.total_received`, { min: 1n }),
        lastRequestTime: expectUint(ro.last_request_time, `${p}.last_request_time`, { max: (1n << 63n) - 1n }),
        requests: expectUint(ro.requests, `${p}.requests`, { min: 1n, max: (1n << 64n) - 1n }),
      },
    };
  });
  recipients.sort((a, b) => compareBytes(addressBytes(a.address), addressBytes(b.address)));
  return { params, recipients };
}

export async function initFaucetGenesis(keeper: FaucetKeeper, ctx: Context, g: FaucetGenesis): Promise<void> {
  await keeper.setParams(ctx, g.params);
  for (const r of g.recipients) await keeper.setRecipient(ctx, r.address, r.record);
}

export async function exportFaucetGenesis(keeper: FaucetKeeper, ctx: Context): Promise<FaucetGenesis> {
  const recipients: FaucetGenesis['recipients'] = [];
  for await (const r of keeper.recipients(ctx)) recipients.push(r);
  return { params: await keeper.getParams(ctx), recipients };
}

export function faucetGenesisToJson(g: FaucetGenesis): unknown {
  return {
    params: {
      enabled: g.params.enabled,
      amount_per_request: { denom: g.params.amountPerRequest.denom, amount: g.params.amountPerRequest.amount.toString() },
      lifetime_limit: getFaucetParam(g.params, 'lifetime_limit'),
      cooldown_seconds: getFaucetParam(g.params, 'cooldown_seconds'),
    },
    recipients: g.recipients.map((r) => ({
      address: r.address,
      total_received: r.record.totalReceived.toString(),
      last_request_time: r.record.lastRequestTime.toString(),
      requests: r.record.requests.toString(),
    })),
  };
}
