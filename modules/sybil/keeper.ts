/**
 * sybil keeper: owns the `sybil/` prefix (layout in README.md): params, the recent block
 * hashes PoW challenges bind, spent PoW solutions, and each identity's reputation record.
 */
import { toHex } from '@cosmjs/encoding';
import type { Context } from '../../app/chain/context.js';
import { addressBytes, bech32Address } from '../../app/chain/address.js';
import { readUint64BE, stateKey, uint64BE, concatBytes } from '../../app/chain/keys.js';
import { leadingZeroBits, powChallenge, powHash, type PowAction } from '../../sdk/pow.js';
import { Reputation, type ProofOfWork } from '../../proto/gen/guts/sybil/v1/sybil.js';
import type { ReadContext, RepoMembership, StakeSource } from './expected.js';
import { ErrPowExpired, ErrPowInsufficient, ErrPowNotAccepted, ErrPowReplayed } from './errors.js';
import { decodeSybilParams, encodeSybilParams, type SybilParams } from './params.js';
import { discountBp, discountedStake, type ReputationRecord } from './reputation.js';

export const MODULE = 'sybil';
const PARAMS_KEY = stateKey(MODULE, 'params');
const CHAIN_ID_KEY = stateKey(MODULE, 'chain_id');
export const BLOCK_HASH_PREFIX = stateKey(MODULE, 'block_hash');
export const POW_USED_PREFIX = stateKey(MODULE, 'pow_used');
export const POW_EXPIRY_PREFIX = stateKey(MODULE, 'pow_expiry');
export const REPUTATION_PREFIX = stateKey(MODULE, 'reputation');
const MARKER = new Uint8Array([1]);

const blockHashKey = (height: bigint) => stateKey(MODULE, 'block_hash', uint64BE(height));
const powUsedKey = (solution: Uint8Array) => stateKey(MODULE, 'pow_used', solution);
const powExpiryKey = (height: bigint, solution: Uint8Array) => stateKey(MODULE, 'pow_expiry', uint64BE(height), solution);
const reputationKey = (address: string) => stateKey(MODULE, 'reputation', addressBytes(address));

/** What the stake gate decided for one identity and action. */
export interface StakeDecision {
  allowed: boolean;
  /** No stake needed at all (an owner or collaborator pushing). */
  free: boolean;
  /** Stake needed after the discount. */
  required: bigint;
  stake: bigint;
  discountBp: number;
}

export class SybilKeeper {
  constructor(
    private readonly stakes: StakeSource,
    private readonly repos: RepoMembership,
  ) {}

  async getParams(ctx: { store: ReadContext['store'] }): Promise<SybilParams> {
    const raw = await ctx.store.get(PARAMS_KEY);
    if (!raw) throw new Error('sybil params missing from state: the chain was not initialised from genesis');
    return decodeSybilParams(raw);
  }

  async setParams(ctx: Context, p: SybilParams): Promise<void> {
    await ctx.store.set(PARAMS_KEY, encodeSybilParams(p));
  }

  /** The chain id, kept from InitGenesis so queries (which have no Context) can build challenges. */
  async setChainId(ctx: Context): Promise<void> {
    await ctx.store.set(CHAIN_ID_KEY, new TextEncoder().encode(ctx.chainId));
  }

  async chainId(ctx: { store: ReadContext['store'] }): Promise<string> {
    const raw = await ctx.store.get(CHAIN_ID_KEY);
    if (!raw) throw new Error('sybil chain id missing from state: the chain was not initialised from genesis');
    return new TextDecoder().decode(raw);
  }

  // --- reputation ---------------------------------------------------------------------

  async getReputation(ctx: ReadContext, address: string): Promise<ReputationRecord | undefined> {
    const raw = await ctx.store.get(reputationKey(address));
    if (!raw) return undefined;
    const r = Reputation.decode(raw);
    return { firstSeenHeight: r.firstSeenHeight, successfulActions: r.successfulActions, slashes: r.slashes };
  }

  async setReputation(ctx: Context, address: string, r: ReputationRecord): Promise<void> {
    await ctx.store.set(reputationKey(address), Reputation.encode(r).finish());
  }

  private async reputationOrNew(ctx: Context, address: string): Promise<ReputationRecord> {
    return (await this.getReputation(ctx, address)) ?? { firstSeenHeight: BigInt(ctx.height), successfulActions: 0n, slashes: 0n };
  }

  /** First-seen height: the first block in which the identity signed a message. */
  async noteSeen(ctx: Context, address: string): Promise<void> {
    if ((await ctx.store.get(reputationKey(address))) === undefined) await this.setReputation(ctx, address, await this.reputationOrNew(ctx, address));
  }

  /** A gated action passed; reverted with the tx if the message then fails. */
  async recordAction(ctx: Context, address: string): Promise<void> {
    const r = await this.reputationOrNew(ctx, address);
    await this.setReputation(ctx, address, { ...r, successfulActions: r.successfulActions + 1n });
  }

  /** Slashing hook: each slash costs `slash_penalty_bp` of discount. */
  async recordSlash(ctx: Context, address: string): Promise<void> {
    const r = await this.reputationOrNew(ctx, address);
    await this.setReputation(ctx, address, { ...r, slashes: r.slashes + 1n });
  }

  async discountOf(ctx: ReadContext, address: string, p?: SybilParams): Promise<number> {
    const params = p ?? (await this.getParams(ctx));
    const rep = await this.getReputation(ctx, address);
    return rep ? discountBp(rep, BigInt(ctx.height), params) : 0;
  }

  async *reputations(ctx: { store: ReadContext['store'] }): AsyncIterable<{ address: string; reputation: ReputationRecord }> {
    for await (const [k, v] of ctx.store.iterate(REPUTATION_PREFIX)) {
      const r = Reputation.decode(v);
      yield { address: bech32Address(k.slice(REPUTATION_PREFIX.length)), reputation: { firstSeenHeight: r.firstSeenHeight, successfulActions: r.successfulActions, slashes: r.slashes } };
    }
  }

  // --- stake --------------------------------------------------------------------------

  /**
   * `can_perform(identity, action)` by stake (issue 4); `repo` makes pushes free for
   * members; `offered` is stake the message itself puts up (a new validator's self-stake).
   */
  async canPerform(ctx: ReadContext, identity: string, action: PowAction, opts: { repo?: string; offered?: bigint } = {}): Promise<StakeDecision> {
    const p = await this.getParams(ctx);
    const discount = await this.discountOf(ctx, identity, p);
    if (action === 'push' && opts.repo !== undefined && (await this.repos.isMember(ctx, opts.repo, identity))) {
      return { allowed: true, free: true, required: 0n, stake: 0n, discountBp: discount };
    }
    const required = discountedStake(p.stake[action], discount);
    const stake = (await this.stakes.stakeOf(ctx, identity)) + (opts.offered ?? 0n);
    return { allowed: stake >= required, free: false, required, stake, discountBp: discount };
  }

  // --- proof of work ------------------------------------------------------------------

  /** Keep this block's hash for challenges and forget hashes and solutions past the window. */
  async beginBlock(ctx: Context): Promise<void> {
    const height = BigInt(ctx.height);
    if (ctx.block && ctx.block.hash.length === 32) await ctx.store.set(blockHashKey(height), ctx.block.hash);
    const { powWindow } = await this.getParams(ctx);
    if (height <= powWindow) return;
    const oldest = height - powWindow; // hashes below this height can no longer be used
    for (const k of await this.keysBelow(ctx, BLOCK_HASH_PREFIX, oldest)) await ctx.store.delete(k);
    for (const k of await this.keysBelow(ctx, POW_EXPIRY_PREFIX, oldest)) {
      await ctx.store.delete(k);
      await ctx.store.delete(powUsedKey(k.slice(POW_EXPIRY_PREFIX.length + 8)));
    }
  }

  private async keysBelow(ctx: Context, prefix: Uint8Array, height: bigint): Promise<Uint8Array[]> {
    const keys: Uint8Array[] = [];
    for await (const [k] of ctx.store.iterate(prefix, { end: concatBytes(prefix, uint64BE(height)) })) keys.push(k);
    return keys;
  }

  async blockHash(ctx: ReadContext, height: bigint): Promise<Uint8Array | undefined> {
    return ctx.store.get(blockHashKey(height));
  }

  /** The newest kept block hash (what a client should bind its challenge to). */
  async latestBlockHash(ctx: ReadContext): Promise<{ height: bigint; hash: Uint8Array } | undefined> {
    for await (const [k, v] of ctx.store.iterate(BLOCK_HASH_PREFIX, { reverse: true, limit: 1 })) {
      return { height: readUint64BE(k.slice(BLOCK_HASH_PREFIX.length)), hash: v };
    }
    return undefined;
  }

  async *blockHashes(ctx: { store: ReadContext['store'] }): AsyncIterable<{ height: bigint; hash: Uint8Array }> {
    for await (const [k, v] of ctx.store.iterate(BLOCK_HASH_PREFIX)) yield { height: readUint64BE(k.slice(BLOCK_HASH_PREFIX.length)), hash: v };
  }

  async setBlockHash(ctx: Context, height: bigint, hash: Uint8Array): Promise<void> {
    await ctx.store.set(blockHashKey(height), hash);
  }

  async *usedSolutions(ctx: { store: ReadContext['store'] }): AsyncIterable<{ solution: Uint8Array; blockHeight: bigint }> {
    for await (const [k, v] of ctx.store.iterate(POW_USED_PREFIX)) yield { solution: k.slice(POW_USED_PREFIX.length), blockHeight: readUint64BE(v) };
  }

  async markSolutionUsed(ctx: Context, solution: Uint8Array, blockHeight: bigint): Promise<void> {
    await ctx.store.set(powUsedKey(solution), uint64BE(blockHeight));
    await ctx.store.set(powExpiryKey(blockHeight, solution), MARKER);
  }

  /**
   * Check `pow` for (signer, action) and spend it. In CheckTx the spend lands in the check
   * state, so a second tx with the same solution never reaches the mempool.
   */
  async acceptPow(ctx: Context, signer: string, action: PowAction, pow: ProofOfWork): Promise<void> {
    const p = await this.getParams(ctx);
    const bits = p.powBits[action];
    if (bits === 0) throw ErrPowNotAccepted.wrap(`${action} needs stake (pow_bits_${action} is 0)`);
    const height = BigInt(ctx.height);
    const h = pow.blockHeight;
    const hash = h > 0n && h <= height && height - h <= p.powWindow ? await this.blockHash(ctx, h) : undefined;
    if (!hash) {
      throw ErrPowExpired.wrap(`block ${h} is not one of the last ${p.powWindow} blocks before ${height}; build the challenge from a recent block hash and solve again`);
    }
    const solution = powHash(powChallenge({ chainId: ctx.chainId, signer, action, blockHash: hash }), pow.nonce);
    const zeros = leadingZeroBits(solution);
    if (zeros < bits) {
      throw ErrPowInsufficient.wrap(
        `nonce ${pow.nonce} gives ${zeros} leading zero bits for the challenge of (${ctx.chainId}, ${signer}, ${action}, block ${h} ${toHex(hash)}), ${bits} needed`,
      );
    }
    if ((await ctx.store.get(powUsedKey(solution))) !== undefined) throw ErrPowReplayed.wrap(`solution ${toHex(solution)} was spent before; solve again with another nonce`);
    await this.markSolutionUsed(ctx, solution, h);
    ctx.events.emit('sybil_pow', { signer, action, block_height: h.toString(), bits: String(bits), solution: toHex(solution) });
  }
}
