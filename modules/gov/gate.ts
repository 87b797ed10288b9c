import type { MsgGate } from '../../app/chain/module.js';
import type { GovDeps } from './deps.js';
import { ErrModulePaused } from './errors.js';
import { MODULE } from './keeper.js';

/**
 * Emergency pause: every message of a paused module is refused, in CheckTx (so it never
 * enters the mempool) and in DeliverTx. Gov's own messages are never paused.
 */
export function pauseGate(deps: GovDeps): MsgGate {
  return async (ctx, msg) => {
    const module = deps.modules.moduleOfMsg(msg.typeUrl);
    if (!module || module === MODULE) return;
    const paused = await deps.keeper.getPaused(ctx, module);
    if (paused) {
      throw ErrModulePaused.wrap(`${msg.typeUrl} is refused: module ${module} was paused by proposal ${paused.proposalId} until an Emergency resume proposal passes`);
    }
  };
}
