/**
 * x/staking keeper: owns the `staking/` prefix; the only code that reads or writes it.
 * Records are the guts.staking.v1 protobuf types; the domain operations (epoch end,
 * rewards, slashing, messages) live in their own files and go through these accessors.
 */
import { readUint64BE, uint64BE } from '../../app/chain/keys.js';
import type { Context } from '../../app/chain/context.js';
import type { KVReader, KVStore } from '../../app/store/types.js';
import {
  Delegation,
  EpochInfo,
  LastValidatorPower,
  Params,
  PendingChange,
  Redelegation,
  UnbondingEntry,
  Validator,
} from '../../proto/gen/guts/staking/v1/staking.js';
import * as K from './keys.js';
import { paramsFromProto, paramsToProto, type StakingParams } from './params.js';

type Reader = { store: KVReader };
type Writer = { store: KVStore };

const utf8 = new TextEncoder();
/** Index entries carry no value; the trie reads an empty value as a delete. */
const MARKER = Uint8Array.of(1);
const utf8d = new TextDecoder();

export class StakingKeeper {
  async getParams(ctx: Reader): Promise<StakingParams> {
    const raw = await ctx.store.get(K.PARAMS_KEY);
    if (!raw) throw new Error('staking params missing from state: the chain was not initialised from genesis');
    const max = await ctx.store.get(K.MAX_CHANGES_KEY);
    return paramsFromProto(Params.decode(raw), max ? new DataView(max.buffer, max.byteOffset, 4).getUint32(0) : undefined);
  }

  async setParams(ctx: Writer, p: StakingParams): Promise<void> {
    await ctx.store.set(K.PARAMS_KEY, Params.encode(paramsToProto(p)).finish());
    const max = new Uint8Array(4);
    new DataView(max.buffer).setUint32(0, p.maxChangesPerBlock);
    await ctx.store.set(K.MAX_CHANGES_KEY, max);
  }

  /** Queued changes with an id below this are due (0: none is due). */
  async getDueBefore(ctx: Reader): Promise<bigint> {
    const raw = await ctx.store.get(K.DUE_BEFORE_KEY);
    return raw ? readUint64BE(raw) : 0n;
  }

  async setDueBefore(ctx: Writer, id: bigint): Promise<void> {
    if (id === 0n) await ctx.store.delete(K.DUE_BEFORE_KEY);
    else await ctx.store.set(K.DUE_BEFORE_KEY, uint64BE(id));
  }

  async getEpoch(ctx: Reader): Promise<EpochInfo> {
    const raw = await ctx.store.get(K.EPOCH_KEY);
    return raw ? EpochInfo.decode(raw) : { number: 0n, startHeight: 1n };
  }

  async setEpoch(ctx: Writer, e: EpochInfo): Promise<void> {
    await ctx.store.set(K.EPOCH_KEY, EpochInfo.encode(e).finish());
  }

  async peekNextId(ctx: Reader): Promise<bigint> {
    const raw = await ctx.store.get(K.NEXT_ID_KEY);
    return raw ? readUint64BE(raw) : 1n;
  }

  async setNextId(ctx: Writer, id: bigint): Promise<void> {
    await ctx.store.set(K.NEXT_ID_KEY, uint64BE(id));
  }

  /** Ids of pending changes, unbonding entries and redelegations come from one counter. */
  async nextId(ctx: Context): Promise<bigint> {
    const id = await this.peekNextId(ctx);
    await this.setNextId(ctx, id + 1n);
    return id;
  }

  async markSetDirty(ctx: Writer): Promise<void> {
    await ctx.store.set(K.SET_DIRTY_KEY, Uint8Array.of(1));
  }

  /** True (and cleared) when a jail or slash happened since the last EndBlock. */
  async takeSetDirty(ctx: Writer): Promise<boolean> {
    const dirty = (await ctx.store.get(K.SET_DIRTY_KEY)) !== undefined;
    if (dirty) await ctx.store.delete(K.SET_DIRTY_KEY);
    return dirty;
  }

  // validators

  async getValidator(ctx: Reader, op: string): Promise<Validator | undefined> {
    const raw = await ctx.store.get(K.validatorKey(op));
    return raw ? Validator.decode(raw) : undefined;
  }

  async setValidator(ctx: Writer, v: Validator): Promise<void> {
    await ctx.store.set(K.validatorKey(v.operatorAddress), Validator.encode(v).finish());
  }

  async setConsensusIndex(ctx: Writer, cons: Uint8Array, op: string): Promise<void> {
    await ctx.store.set(K.byConsKey(cons), utf8.encode(op));
  }

  async operatorByConsAddress(ctx: Reader, cons: Uint8Array): Promise<string | undefined> {
    const raw = await ctx.store.get(K.byConsKey(cons));
    return raw ? utf8d.decode(raw) : undefined;
  }

  /** Every validator, in operator-key order. */
  async *validators(ctx: Reader): AsyncIterable<Validator> {
    for await (const [, v] of ctx.store.iterate(K.VALIDATORS_PREFIX)) yield Validator.decode(v);
  }

  // delegations

  async getDelegation(ctx: Reader, del: string, val: string): Promise<Delegation | undefined> {
    const raw = await ctx.store.get(K.delegationKey(del, val));
    return raw ? Delegation.decode(raw) : undefined;
  }

  /** Writes the delegation, or removes it once it holds nothing (no shares, rewards or queued outflow). */
  async setDelegation(ctx: Writer, d: Delegation): Promise<void> {
    const key = K.delegationKey(d.delegatorAddress, d.validatorAddress);
    if (d.shares === '0' && d.pendingRewards === '0' && d.pendingOut === '0' && d.pendingOutEntries === 0) await ctx.store.delete(key);
    else await ctx.store.set(key, Delegation.encode(d).finish());
  }

  async *delegationsOf(ctx: Reader, del: string): AsyncIterable<Delegation> {
    for await (const [, v] of ctx.store.iterate(K.delegationsOfPrefix(del))) yield Delegation.decode(v);
  }

  async *allDelegations(ctx: Reader): AsyncIterable<Delegation> {
    for await (const [, v] of ctx.store.iterate(K.DELEGATIONS_PREFIX)) yield Delegation.decode(v);
  }

  // pending changes (applied at the epoch end)

  async addPending(ctx: Writer, p: PendingChange): Promise<void> {
    await ctx.store.set(K.pendingKey(p.id), PendingChange.encode(p).finish());
    await ctx.store.set(K.pendingByDelKey(p.delegatorAddress, p.id), MARKER);
  }

  async removePending(ctx: Writer, p: PendingChange): Promise<void> {
    await ctx.store.delete(K.pendingKey(p.id));
    await ctx.store.delete(K.pendingByDelKey(p.delegatorAddress, p.id));
  }

  async *pending(ctx: Reader): AsyncIterable<PendingChange> {
    for await (const [, v] of ctx.store.iterate(K.PENDING_PREFIX)) yield PendingChange.decode(v);
  }

  /** Up to `limit` queued changes with an id below `before`, in queue order (collected: the caller removes them). */
  async pendingBefore(ctx: Reader, before: bigint, limit: number): Promise<PendingChange[]> {
    const out: PendingChange[] = [];
    if (limit <= 0) return out;
    for await (const [, v] of ctx.store.iterate(K.PENDING_PREFIX, { end: K.pendingKey(before), limit })) out.push(PendingChange.decode(v));
    return out;
  }

  async *pendingOf(ctx: Reader, del: string): AsyncIterable<PendingChange> {
    for await (const [k] of ctx.store.iterate(K.pendingByDelPrefix(del))) {
      const raw = await ctx.store.get(K.pendingKey(K.idOfKey(k)));
      if (raw) yield PendingChange.decode(raw);
    }
  }

  // unbonding entries

  async setUnbonding(ctx: Writer, e: UnbondingEntry): Promise<void> {
    await ctx.store.set(K.ubdKey(e.id), UnbondingEntry.encode(e).finish());
    await ctx.store.set(K.ubdByDelKey(e.delegatorAddress, e.validatorAddress, e.id), MARKER);
    await ctx.store.set(K.ubdByValKey(e.validatorAddress, e.id), MARKER);
    await ctx.store.set(K.ubdQueueKey(e.completionTime, e.id), MARKER);
  }

  async removeUnbonding(ctx: Writer, e: UnbondingEntry): Promise<void> {
    await ctx.store.delete(K.ubdKey(e.id));
    await ctx.store.delete(K.ubdByDelKey(e.delegatorAddress, e.validatorAddress, e.id));
    await ctx.store.delete(K.ubdByValKey(e.validatorAddress, e.id));
    await ctx.store.delete(K.ubdQueueKey(e.completionTime, e.id));
  }

  private async *byIndex<T>(ctx: Reader, prefix: Uint8Array, primary: (id: bigint) => Uint8Array, decode: (b: Uint8Array) => T, end?: Uint8Array, limit?: number): AsyncIterable<T> {
    const ids: bigint[] = [];
    // collect first: callers may delete entries while they walk them
    for await (const [k] of ctx.store.iterate(prefix, end || limit ? { end, limit } : undefined)) ids.push(K.idOfKey(k));
    for (const id of ids) {
      const raw = await ctx.store.get(primary(id));
      if (raw) yield decode(raw);
    }
  }

  unbondingsOf(ctx: Reader, del: string, val?: string): AsyncIterable<UnbondingEntry> {
    return this.byIndex(ctx, K.ubdByDelPrefix(del, val), K.ubdKey, (b) => UnbondingEntry.decode(b));
  }

  unbondingsFrom(ctx: Reader, val: string): AsyncIterable<UnbondingEntry> {
    return this.byIndex(ctx, K.ubdByValPrefix(val), K.ubdKey, (b) => UnbondingEntry.decode(b));
  }

  /** Entries whose completion time is ≤ `time`, oldest first (at most `limit`). */
  unbondingsDue(ctx: Reader, time: bigint, limit?: number): AsyncIterable<UnbondingEntry> {
    return this.byIndex(ctx, K.UBD_QUEUE_PREFIX, K.ubdKey, (b) => UnbondingEntry.decode(b), K.queueEnd(K.UBD_QUEUE_PREFIX, time), limit);
  }

  async *allUnbondings(ctx: Reader): AsyncIterable<UnbondingEntry> {
    for await (const [, v] of ctx.store.iterate(K.UBD_PREFIX)) yield UnbondingEntry.decode(v);
  }

  // redelegations

  async setRedelegation(ctx: Writer, r: Redelegation): Promise<void> {
    await ctx.store.set(K.redKey(r.id), Redelegation.encode(r).finish());
    await ctx.store.set(K.redByDelKey(r.delegatorAddress, r.dstValidatorAddress, r.id), MARKER);
    await ctx.store.set(K.redBySrcKey(r.srcValidatorAddress, r.id), MARKER);
    await ctx.store.set(K.redQueueKey(r.completionTime, r.id), MARKER);
  }

  async removeRedelegation(ctx: Writer, r: Redelegation): Promise<void> {
    await ctx.store.delete(K.redKey(r.id));
    await ctx.store.delete(K.redByDelKey(r.delegatorAddress, r.dstValidatorAddress, r.id));
    await ctx.store.delete(K.redBySrcKey(r.srcValidatorAddress, r.id));
    await ctx.store.delete(K.redQueueKey(r.completionTime, r.id));
  }

  /** Redelegations of `del` (into `dst` when given). */
  redelegationsOf(ctx: Reader, del: string, dst?: string): AsyncIterable<Redelegation> {
    return this.byIndex(ctx, K.redByDelPrefix(del, dst), K.redKey, (b) => Redelegation.decode(b));
  }

  redelegationsFrom(ctx: Reader, src: string): AsyncIterable<Redelegation> {
    return this.byIndex(ctx, K.redBySrcPrefix(src), K.redKey, (b) => Redelegation.decode(b));
  }

  redelegationsDue(ctx: Reader, time: bigint, limit?: number): AsyncIterable<Redelegation> {
    return this.byIndex(ctx, K.RED_QUEUE_PREFIX, K.redKey, (b) => Redelegation.decode(b), K.queueEnd(K.RED_QUEUE_PREFIX, time), limit);
  }

  async *allRedelegations(ctx: Reader): AsyncIterable<Redelegation> {
    for await (const [, v] of ctx.store.iterate(K.RED_PREFIX)) yield Redelegation.decode(v);
  }

  // the active set as last sent to consensus

  async getLastPower(ctx: Reader, op: string): Promise<bigint> {
    const raw = await ctx.store.get(K.lastPowerKey(op));
    return raw ? LastValidatorPower.decode(raw).power : 0n;
  }

  async setLastPower(ctx: Writer, op: string, power: bigint): Promise<void> {
    if (power === 0n) await ctx.store.delete(K.lastPowerKey(op));
    else await ctx.store.set(K.lastPowerKey(op), LastValidatorPower.encode({ operatorAddress: op, power }).finish());
  }

  /** The active set in operator-key order. */
  async *lastPowers(ctx: Reader): AsyncIterable<LastValidatorPower> {
    for await (const [, v] of ctx.store.iterate(K.LAST_POWER_PREFIX)) yield LastValidatorPower.decode(v);
  }

  async getTotalPower(ctx: Reader): Promise<bigint> {
    const raw = await ctx.store.get(K.TOTAL_POWER_KEY);
    return raw ? readUint64BE(raw) : 0n;
  }

  async setTotalPower(ctx: Writer, power: bigint): Promise<void> {
    await ctx.store.set(K.TOTAL_POWER_KEY, uint64BE(power));
  }
}

