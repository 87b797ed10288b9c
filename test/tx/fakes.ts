/**
 * In-test AccountKeeper/BankKeeper over Maps: the narrow expected interfaces of
 * app/tx/expected.ts (STYLE.md: tests may fake what the caller declares).
 */
import type { BaseAccount } from 'cosmjs-types/cosmos/auth/v1beta1/auth';
import type { Timestamp } from 'cosmjs-types/google/protobuf/timestamp';
import { EventManager, type Context, type ExecMode, type GasMeter } from '../../app/chain/context.js';
import { ErrInsufficientFunds } from '../../app/errors.js';
import type { AccountKeeper, BankKeeper } from '../../app/tx/expected.js';
import { createGasMeter } from '../../app/tx/gas.js';
import type { KVStore } from '../../app/store/types.js';
import { CHAIN_ID } from './helpers.js';

export interface AuthParams {
  maxMemoCharacters: bigint;
  txSigLimit: bigint;
  txSizeCostPerByte: bigint;
  sigVerifyCostSecp256k1: bigint;
}

export const DEFAULT_AUTH_PARAMS: AuthParams = { maxMemoCharacters: 256n, txSigLimit: 7n, txSizeCostPerByte: 10n, sigVerifyCostSecp256k1: 1000n };

export class FakeAuth implements AccountKeeper {
  readonly accounts = new Map<string, BaseAccount>();
  params: AuthParams = { ...DEFAULT_AUTH_PARAMS };

  add(address: string, accountNumber: bigint, sequence = 0n): void {
    this.accounts.set(address, { address, accountNumber, sequence, pubKey: undefined });
  }
  async getAccount(_ctx: Context, address: string): Promise<BaseAccount | undefined> {
    const a = this.accounts.get(address);
    return a && { ...a };
  }
  async setAccount(_ctx: Context, account: BaseAccount): Promise<void> {
    this.accounts.set(account.address, { ...account });
  }
  async getParams(): Promise<AuthParams> {
    return this.params;
  }
}

export class FakeBank implements BankKeeper {
  readonly balances = new Map<string, Map<string, bigint>>();

  fund(address: string, denom: string, amount: bigint): void {
    const b = this.balances.get(address) ?? new Map<string, bigint>();
    b.set(denom, (b.get(denom) ?? 0n) + amount);
    this.balances.set(address, b);
  }
  balance(address: string, denom: string): bigint {
    return this.balances.get(address)?.get(denom) ?? 0n;
  }
  async sendCoinsFromAccountToModule(_ctx: Context, from: string, module: string, coins: { denom: string; amount: string }[]): Promise<void> {
    for (const c of coins) {
      if (this.balance(from, c.denom) < BigInt(c.amount)) throw ErrInsufficientFunds.wrap(`${this.balance(from, c.denom)}${c.denom} is smaller than ${c.amount}${c.denom}`);
    }
    for (const c of coins) {
      this.fund(from, c.denom, -BigInt(c.amount));
      this.fund(module, c.denom, BigInt(c.amount));
    }
  }
}

/** In-memory KVStore, sorted iteration, for gas tests. */
export function memStore(): KVStore & { map: Map<string, Uint8Array> } {
  const map = new Map<string, Uint8Array>();
  const hex = (k: Uint8Array) => Buffer.from(k).toString('hex');
  return {
    map,
    async get(k) {
      return map.get(hex(k));
    },
    async set(k, v) {
      map.set(hex(k), v);
    },
    async delete(k) {
      map.delete(hex(k));
    },
    async *iterate(prefix) {
      const p = hex(prefix);
      for (const k of [...map.keys()].sort()) if (k.startsWith(p)) yield [Uint8Array.from(Buffer.from(k, 'hex')), map.get(k)!];
    },
  };
}

export function makeCtx(opts: { mode?: ExecMode; height?: number; chainId?: string; gasMeter?: GasMeter; time?: Timestamp } = {}): Context {
  return {
    chainId: opts.chainId ?? CHAIN_ID,
    height: opts.height ?? 10,
    time: opts.time ?? { seconds: 1_700_000_000n, nanos: 0 },
    mode: opts.mode ?? 'deliver',
    store: memStore(),
    gasMeter: opts.gasMeter ?? createGasMeter(1_000_000n),
    events: new EventManager(),
  };
}
