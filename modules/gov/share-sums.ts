/**
 * The per-proposal share sums behind the tally (tally.ts): for each proposal in its voting
 * period and each validator, the delegator shares voted per option. A vote moves its
 * voter's shares from the old option to the new; staking reports every delegation whose
 * shares change (an applied stake change, a slashed redelegation) and the sums of the
 * proposals its delegator voted on follow. After a genesis import the sums are rebuilt
 * from the votes in the first block (gov's BeginBlock), since staking is imported after gov.
 */
import type { Context } from '../../app/chain/context.js';
import type { VoteOption } from '../../proto/gen/guts/gov/v1/gov.js';
import type { GovDeps } from './deps.js';
import type { DelegationChange } from './expected.js';
import { addShares, type ShareSums } from './tally.js';

/** Count `voter`'s shares under `option` on proposal `id`, taking them from `previous` if it had voted. */
export async function countVote(deps: GovDeps, ctx: Context, id: bigint, voter: string, option: VoteOption, previous: VoteOption | undefined): Promise<void> {
  if (await deps.keeper.shareSumsStale(ctx)) return; // the rebuild counts it
  for (const d of await deps.staking.delegationSharesOf(ctx, voter)) {
    const s = await deps.keeper.getShareSums(ctx, id, d.validator);
    if (previous !== undefined) addShares(s, previous, -d.shares);
    addShares(s, option, d.shares);
    await deps.keeper.setShareSums(ctx, id, d.validator, s);
  }
}

/** Staking's hook: move the sums of every proposal in its voting period the delegators voted on. */
export async function delegationsChanged(deps: GovDeps, ctx: Context, changes: readonly DelegationChange[]): Promise<void> {
  const { keeper } = deps;
  if (changes.length === 0 || (await keeper.shareSumsStale(ctx))) return;
  for (const id of await keeper.votingIds(ctx)) {
    const touched = new Map<string, ShareSums>();
    for (const c of changes) {
      const vote = await keeper.getVote(ctx, id, c.delegator);
      if (!vote) continue;
      const s = touched.get(c.validator) ?? (await keeper.getShareSums(ctx, id, c.validator));
      addShares(s, vote.option, c.sharesAfter - c.sharesBefore);
      touched.set(c.validator, s);
    }
    for (const [validator, s] of touched) await keeper.setShareSums(ctx, id, validator, s);
  }
}

/** Recount the sums of every proposal in its voting period from its votes (once, after a genesis import). */
export async function rebuildShareSums(deps: GovDeps, ctx: Context): Promise<void> {
  const { keeper } = deps;
  if (!(await keeper.shareSumsStale(ctx))) return;
  await keeper.setShareSumsStale(ctx, false);
  for (const id of await keeper.votingIds(ctx)) {
    await keeper.clearShareSums(ctx, id);
    for await (const v of keeper.votes(ctx, id)) await countVote(deps, ctx, id, v.voter, v.option, undefined);
  }
}
