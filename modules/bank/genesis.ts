import type { Coin } from 'cosmjs-types/cosmos/base/v1beta1/coin';
import type { Context } from '../../app/chain/context.js';
import { addressBytes } from '../../app/chain/address.js';
import { parseAmount, validateDenom } from '../../app/chain/coins.js';
import { GenesisError, expectArray, expectObject, expectString, rejectUnknownKeys } from '../../app/chain/genesis-error.js';
import type { BankKeeper, BankParams } from './keeper.js';
import type { AccountKeeper } from './expected.js';

export interface BankGenesis {
  params: BankParams;
  /** Sorted by address; each coin list sorted by denom. */
  balances: { address: string; coins: Coin[] }[];
  /** Must equal the sum of balances when given (empty = computed). */
  supply: Coin[];
}

export function defaultBankGenesis(): BankGenesis {
  return { params: { defaultSendEnabled: true }, balances: [], supply: [] };
}

function coinsFromJson(raw: unknown, path: string, allowZero: boolean): Coin[] {
  let prev = '';
  return expectArray(raw, path).map((c, j) => {
    const p = `${path}[${j}]`;
    const o = expectObject(c, p);
    rejectUnknownKeys(o, ['denom', 'amount'], p);
    const denom = expectString(o.denom, `${p}.denom`);
    try {
      validateDenom(denom);
    } catch (e) {
      throw new GenesisError(`${p}.denom`, (e as Error).message);
    }
    if (denom <= prev) throw new GenesisError(`${p}.denom`, `coins must be sorted by denom without duplicates (${prev} before ${denom})`);
    prev = denom;
    let n: bigint;
    try {
      n = parseAmount(expectString(o.amount, `${p}.amount`));
    } catch (e) {
      throw new GenesisError(`${p}.amount`, (e as Error).message);
    }
    if (!allowZero && n === 0n) throw new GenesisError(`${p}.amount`, 'must be positive');
    return { denom, amount: n.toString() };
  });
}

export function validateBankGenesis(raw: unknown, path: string): BankGenesis {
  const o = expectObject(raw, path);
  rejectUnknownKeys(o, ['params', 'balances', 'supply'], path);
  const po = expectObject(o.params, `${path}.params`);
  rejectUnknownKeys(po, ['default_send_enabled'], `${path}.params`);
  if (typeof po.default_send_enabled !== 'boolean') throw new GenesisError(`${path}.params.default_send_enabled`, 'expected true or false');
  const seen = new Set<string>();
  const totals = new Map<string, bigint>();
  const balances = expectArray(o.balances ?? [], `${path}.balances`).map((b, i) => {
    const p = `${path}.balances[${i}]`;
    const bo = expectObject(b, p);
    rejectUnknownKeys(bo, ['address', 'coins'], p);
    const address = expectString(bo.address, `${p}.address`);
    try {
      addressBytes(address);
    } catch (e) {
      throw new GenesisError(`${p}.address`, (e as Error).message);
    }
    if (seen.has(address)) throw new GenesisError(`${p}.address`, `duplicate balance entry for ${address}`);
    seen.add(address);
    const coins = coinsFromJson(bo.coins, `${p}.coins`, false);
    for (const c of coins) totals.set(c.denom, (totals.get(c.denom) ?? 0n) + BigInt(c.amount));
    return { address, coins };
  });
  const supply = coinsFromJson(o.supply ?? [], `${path}.supply`, false);
  if (supply.length > 0) {
    const computed = [...totals.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
    const same = computed.length === supply.length && computed.every(([d, n], i) => supply[i]!.denom === d && BigInt(supply[i]!.amount) === n);
    if (!same) {
      throw new GenesisError(`${path}.supply`, `does not match the sum of balances (${computed.map(([d, n]) => `${n}${d}`).join(',') || 'nothing'})`);
    }
  }
  balances.sort((a, b) => compareBytes(addressBytes(a.address), addressBytes(b.address)));
  return { params: { defaultSendEnabled: po.default_send_enabled }, balances, supply };
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

export async function initBankGenesis(keeper: BankKeeper, accounts: AccountKeeper, ctx: Context, g: BankGenesis): Promise<void> {
  await keeper.setParams(ctx, g.params);
  for (const b of g.balances) {
    await keeper.mint(ctx, b.address, b.coins);
    // a funded address without an auth entry gets the next account number, as on first receipt
    if (!(await accounts.hasAccount(ctx, b.address))) await accounts.newAccount(ctx, b.address);
  }
}

export async function exportBankGenesis(keeper: BankKeeper, ctx: Context): Promise<BankGenesis> {
  const byAddress = new Map<string, Coin[]>();
  const order: string[] = [];
  for await (const { address, coin } of keeper.allBalances(ctx)) {
    if (!byAddress.has(address)) {
      byAddress.set(address, []);
      order.push(address);
    }
    byAddress.get(address)!.push(coin);
  }
  return {
    params: await keeper.getParams(ctx),
    balances: order.map((address) => ({ address, coins: byAddress.get(address)! })),
    supply: await keeper.getTotalSupply(ctx),
  };
}

export function bankGenesisToJson(g: BankGenesis): unknown {
  return {
    params: { default_send_enabled: g.params.defaultSendEnabled },
    balances: g.balances.map((b) => ({ address: b.address, coins: b.coins.map((c) => ({ denom: c.denom, amount: c.amount })) })),
    supply: g.supply.map((c) => ({ denom: c.denom, amount: c.amount })),
  };
}
