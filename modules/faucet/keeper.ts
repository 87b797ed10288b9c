/**
 * faucet keeper: owns the `faucet/` prefix: params and one record per recipient (what it
 * received, when it last asked). The coins sit in bank under the `faucet` module account;
 * anyone refills it with a plain bank send to that address.
 */
import type { Context } from '../../app/chain/context.js';
import { addressBytes, bech32Address, moduleAddress } from '../../app/chain/address.js';
import { stateKey } from '../../app/chain/keys.js';
import type { KVReader } from '../../app/store/types.js';
import { Recipient } from '../../proto/gen/guts/faucet/v1/faucet.js';
import { formatRfc3339 } from '../../genesis/time.js';
import type { BankKeeper } from './expected.js';
import { ErrCooldown, ErrFaucetDisabled, ErrFaucetEmpty, ErrLifetimeLimit } from './errors.js';
import { amountCoin, decodeFaucetParams, encodeFaucetParams, type FaucetParams } from './params.js';

export const MODULE = 'faucet';
export const FAUCET_ADDRESS = moduleAddress(MODULE);
const PARAMS_KEY = stateKey(MODULE, 'params');
export const RECIPIENTS_PREFIX = stateKey(MODULE, 'recipients');
const recipientKey = (address: string) => stateKey(MODULE, 'recipients', addressBytes(address));

type Read = { store: KVReader };

export interface RecipientRecord {
  totalReceived: bigint;
  /** Unix seconds of block time. */
  lastRequestTime: bigint;
  requests: bigint;
}

export class FaucetKeeper {
  constructor(private readonly bank: BankKeeper) {}

  async getParams(ctx: Read): Promise<FaucetParams> {
    const raw = await ctx.store.get(PARAMS_KEY);
    if (!raw) throw new Error('faucet params missing from state: the chain was not initialised from genesis');
    return decodeFaucetParams(raw);
  }

  async setParams(ctx: Context, p: FaucetParams): Promise<void> {
    await ctx.store.set(PARAMS_KEY, encodeFaucetParams(p));
  }

  async getRecipient(ctx: Read, address: string): Promise<RecipientRecord | undefined> {
    const raw = await ctx.store.get(recipientKey(address));
    if (!raw) return undefined;
    const r = Recipient.decode(raw);
    return { totalReceived: BigInt(r.totalReceived), lastRequestTime: r.lastRequestTime, requests: r.requests };
  }

  async setRecipient(ctx: Context, address: string, r: RecipientRecord): Promise<void> {
    await ctx.store.set(recipientKey(address), Recipient.encode({ totalReceived: r.totalReceived.toString(), lastRequestTime: r.lastRequestTime, requests: r.requests }).finish());
  }

  async *recipients(ctx: Read): AsyncIterable<{ address: string; record: RecipientRecord }> {
    for await (const [k, v] of ctx.store.iterate(RECIPIENTS_PREFIX)) {
      const r = Recipient.decode(v);
      yield { address: bech32Address(k.slice(RECIPIENTS_PREFIX.length)), record: { totalReceived: BigInt(r.totalReceived), lastRequestTime: r.lastRequestTime, requests: r.requests } };
    }
  }

  async balance(ctx: Read, p?: FaucetParams): Promise<bigint> {
    const params = p ?? (await this.getParams(ctx));
    return this.bank.getBalance(ctx, FAUCET_ADDRESS, params.amountPerRequest.denom);
  }

  /** Block time from which `address` may ask again (0 = now). */
  nextRequestTime(r: RecipientRecord | undefined, p: FaucetParams): bigint {
    return r ? r.lastRequestTime + p.cooldownSeconds : 0n;
  }

  /**
   * Pay `amount_per_request` (or what is left of the lifetime limit) to `recipient`, in
   * this order of refusals: disabled, cooldown, lifetime limit, empty.
   */
  async dispense(ctx: Context, recipient: string): Promise<bigint> {
    const p = await this.getParams(ctx);
    if (!p.enabled) throw ErrFaucetDisabled.wrap('the faucet parameter enabled is false');
    const now = ctx.time.seconds;
    const rec = await this.getRecipient(ctx, recipient);
    const next = this.nextRequestTime(rec, p);
    if (rec && now < next) {
      throw ErrCooldown.wrap(`${recipient} may ask again at ${formatRfc3339({ seconds: next, nanos: 0 })} (in ${next - now} s of block time)`);
    }
    const received = rec?.totalReceived ?? 0n;
    if (received >= p.lifetimeLimit) throw ErrLifetimeLimit.wrap(`${recipient} has received ${received}${p.amountPerRequest.denom}, the lifetime limit`);
    const remaining = p.lifetimeLimit - received;
    const amount = remaining < p.amountPerRequest.amount ? remaining : p.amountPerRequest.amount;
    const held = await this.balance(ctx, p);
    if (held < amount) {
      throw ErrFaucetEmpty.wrap(`the faucet ${FAUCET_ADDRESS} holds ${held}${p.amountPerRequest.denom}, a request pays ${amount}; refill it with a bank send to that address`);
    }
    await this.bank.sendCoinsFromModuleToAccount(ctx, MODULE, recipient, [amountCoin(p, amount)]);
    await this.setRecipient(ctx, recipient, { totalReceived: received + amount, lastRequestTime: now, requests: (rec?.requests ?? 0n) + 1n });
    ctx.events.emit('faucet_dispense', { recipient, amount: `${amount}${p.amountPerRequest.denom}`, total_received: `${received + amount}` });
    return amount;
  }
}
