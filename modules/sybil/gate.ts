/**
 * The sybil gate (issue 4), a `MsgGate`: it runs before every message in CheckTx and
 * DeliverTx, so a gated message without enough stake or valid work is refused before it
 * enters the mempool, and again in the block. For every message it notes the signer's
 * first-seen height; for gated ones it checks (in order) free push for repo members, the
 * offered proof of work, or the discounted stake, then counts a successful action.
 */
import type { MsgGate } from '../../app/chain/module.js';
import type { GatedMsg } from './expected.js';
import { ErrInsufficientStake } from './errors.js';
import type { SybilKeeper } from './keeper.js';

export function sybilGate(keeper: SybilKeeper, gated: readonly GatedMsg[]): MsgGate {
  const byType = new Map(gated.map((g) => [g.typeUrl, g]));
  return async (ctx, msg) => {
    for (const signer of new Set(msg.signers)) await keeper.noteSeen(ctx, signer);
    const g = byType.get(msg.typeUrl);
    const signer = msg.signers[0];
    if (!g || signer === undefined) return;
    const repo = g.repo?.(msg.value);
    const pow = g.pow?.(msg.value);
    const offered = g.offeredStake?.(msg.value);
    const decision = await keeper.canPerform(ctx, signer, g.action, { repo, offered });
    if (!decision.free) {
      if (pow) {
        await keeper.acceptPow(ctx, signer, g.action, pow);
      } else if (!decision.allowed) {
        const p = await keeper.getParams(ctx);
        const alt = p.powBits[g.action] > 0 ? ` or attach a proof of work of ${p.powBits[g.action]} bits (guts tx … --pow)` : '';
        throw ErrInsufficientStake.wrap(
          `${g.action} needs ${decision.required} staked (${p.stake[g.action]} less a ${decision.discountBp} bp reputation discount), ${signer} has ${decision.stake}${offered !== undefined ? ` (self-stake offered included)` : ''}; stake more${alt}`,
        );
      }
    }
    await keeper.recordAction(ctx, signer);
  };
}
