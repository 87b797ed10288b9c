/**
 * BeginBlock: double-sign evidence from consensus (CometBFT Misbehavior of type
 * DUPLICATE_VOTE) → slash `slash_fraction_double_sign`, tombstone; then liveness over
 * the commit of the previous block: a bonded validator that missed more than
 * (1 − min_signed_per_window) of its last `signed_blocks_window` votes is slashed
 * `slash_fraction_downtime` and jailed for `downtime_jail_duration` seconds.
 */
import { MisbehaviorType } from 'cosmjs-types/tendermint/abci/types';
import type { Context } from '../../app/chain/context.js';
import type { ValidatorSigningInfo } from '../../proto/gen/guts/slashing/v1/slashing.js';
import type { StakingKeeper } from './expected.js';
import type { SlashingKeeper } from './keeper.js';
import type { SlashingParams } from './params.js';

function bitmapBytes(window: bigint): number {
  return Number((window + 7n) / 8n);
}

export function newSigningInfo(cons: Uint8Array, operator: string, height: number, window: bigint): ValidatorSigningInfo {
  return { consensusAddress: cons, validatorAddress: operator, startHeight: BigInt(height), indexOffset: 0n, missedBlocksCounter: 0n, missedBitmap: new Uint8Array(bitmapBytes(window)), tombstoned: false };
}

/** Votes a validator may miss in a window before it is jailed. */
export function maxMissed(p: SlashingParams): bigint {
  const minSigned = (p.signedBlocksWindow * BigInt(p.minSignedPerWindowBp) + 5_000n) / 10_000n;
  return p.signedBlocksWindow - minSigned;
}

function resetWindow(info: ValidatorSigningInfo, height: number, window: bigint): void {
  info.startHeight = BigInt(height);
  info.indexOffset = 0n;
  info.missedBlocksCounter = 0n;
  info.missedBitmap = new Uint8Array(bitmapBytes(window));
}

async function handleDoubleSigns(ctx: Context, keeper: SlashingKeeper, staking: StakingKeeper, p: SlashingParams): Promise<void> {
  for (const m of ctx.block?.misbehavior ?? []) {
    if (m.type !== MisbehaviorType.DUPLICATE_VOTE || !m.validator) continue;
    const cons = m.validator.address;
    const operator = await staking.operatorByConsAddress(ctx, cons);
    if (!operator) continue; // not a staking validator (e.g. a genesis-only consensus key)
    const v = await staking.validatorState(ctx, operator);
    if (!v || v.tombstoned) continue; // punished once per key, as cosmos-sdk
    await staking.slash(ctx, operator, m.height, p.slashFractionDoubleSignBp, 'double_sign');
    await staking.tombstone(ctx, operator);
    const info = (await keeper.getSigningInfo(ctx, cons)) ?? newSigningInfo(cons, operator, ctx.height, p.signedBlocksWindow);
    info.tombstoned = true;
    await keeper.setSigningInfo(ctx, info);
    ctx.events.emit('double_sign', { validator: operator, infraction_height: m.height.toString(), fraction_bp: String(p.slashFractionDoubleSignBp) });
  }
}

async function handleLiveness(ctx: Context, keeper: SlashingKeeper, staking: StakingKeeper, p: SlashingParams): Promise<void> {
  const window = p.signedBlocksWindow;
  const limit = maxMissed(p);
  for (const vote of ctx.block?.lastCommitVotes ?? []) {
    const operator = await staking.operatorByConsAddress(ctx, vote.address);
    if (!operator) continue;
    const v = await staking.validatorState(ctx, operator);
    // only bonded, unjailed validators are held to the window (a just-removed one still votes for 2 blocks)
    if (!v || !v.bonded || v.jailed) continue;
    let info = await keeper.getSigningInfo(ctx, vote.address);
    if (!info) info = newSigningInfo(vote.address, operator, ctx.height, window);
    if (info.missedBitmap.length !== bitmapBytes(window)) resetWindow(info, ctx.height, window); // window changed by gov
    const slot = Number(info.indexOffset % window);
    const byte = slot >> 3;
    const mask = 1 << (slot & 7);
    const wasMissed = (info.missedBitmap[byte]! & mask) !== 0;
    const missed = !vote.signed;
    if (missed !== wasMissed) {
      info.missedBitmap[byte] = missed ? info.missedBitmap[byte]! | mask : info.missedBitmap[byte]! & ~mask;
      info.missedBlocksCounter += missed ? 1n : -1n;
    }
    info.indexOffset += 1n;
    if (missed) ctx.events.emit('liveness', { validator: operator, missed_blocks: info.missedBlocksCounter.toString(), height: String(ctx.height - 1) });
    if (info.indexOffset >= window && info.missedBlocksCounter > limit) {
      await staking.slash(ctx, operator, BigInt(ctx.height - 1), p.slashFractionDowntimeBp, 'downtime');
      const until = ctx.time.seconds + p.downtimeJailDuration;
      await staking.jail(ctx, operator, until, 'downtime');
      ctx.events.emit('downtime', { validator: operator, missed_blocks: info.missedBlocksCounter.toString(), jailed_until: until.toString() });
      resetWindow(info, ctx.height, window);
    }
    await keeper.setSigningInfo(ctx, info);
  }
}

export async function slashingBeginBlock(ctx: Context, keeper: SlashingKeeper, staking: StakingKeeper): Promise<void> {
  if (!ctx.block) return;
  const p = await keeper.getParams(ctx);
  await handleDoubleSigns(ctx, keeper, staking, p);
  await handleLiveness(ctx, keeper, staking, p);
}
