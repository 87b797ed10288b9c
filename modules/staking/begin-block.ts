/**
 * BeginBlock: uptime counters from the block's commit info (who proposed, who signed
 * the previous block) and the block's rewards. Both touch the same validator records,
 * so they share one read and one write per validator.
 */
import type { Context } from '../../app/chain/context.js';
import type { Validator } from '../../proto/gen/guts/staking/v1/staking.js';
import { ValidatorCache } from './batch.js';
import type { BankKeeper } from './expected.js';
import type { StakingKeeper } from './keeper.js';
import { distributeRewards } from './rewards.js';

export function uptimeBp(v: Validator): number {
  const seen = v.blocksSigned + v.blocksMissed;
  return seen === 0n ? 10_000 : Number((v.blocksSigned * 10_000n) / seen);
}

export async function stakingBeginBlock(ctx: Context, keeper: StakingKeeper, bank: BankKeeper): Promise<void> {
  const block = ctx.block;
  if (!block) return;
  const cache = new ValidatorCache(keeper, ctx);
  const byCons = async (address: Uint8Array) => {
    const op = await keeper.operatorByConsAddress(ctx, address);
    return op === undefined ? undefined : cache.get(op);
  };
  const proposer = await byCons(block.proposerAddress);
  if (proposer) proposer.blocksProposed += 1n;
  for (const vote of block.lastCommitVotes) {
    const v = await byCons(vote.address);
    if (!v) continue; // a consensus validator staking does not manage (e.g. the genesis set)
    if (vote.signed) v.blocksSigned += 1n;
    else v.blocksMissed += 1n;
    v.uptimeBp = uptimeBp(v);
  }
  const params = await keeper.getParams(ctx);
  await distributeRewards(ctx, keeper, bank, params, (op) => cache.get(op));
  await cache.flush();
}
