/**
 * Protocol upgrades (cosmos-sdk x/upgrade, reduced): a passed ProtocolUpgrade schedules a
 * plan; at its activation height BeginBlock either runs this binary's handler for the plan
 * (migrations) and goes on from the same data, or throws UpgradeNeededError, which stops
 * block production before anything of that block is kept. A binary also refuses to run
 * state an upgrade it does not know has been applied to, and refuses to run a plan's
 * handler before the plan's height.
 */
import type { Context } from '../../app/chain/context.js';
import type { AppliedUpgrade, UpgradePlan } from '../../proto/gen/guts/gov/v1/gov.js';
import type { GovKeeper } from './keeper.js';

/** Migrations for the new version, run once at the activation height inside that block. */
export type UpgradeHandler = (ctx: Context, plan: UpgradePlan) => Promise<void>;

/** The upgrades this binary knows, by plan name. */
export class UpgradeHandlers {
  private readonly handlers = new Map<string, UpgradeHandler>();

  register(name: string, handler: UpgradeHandler): this {
    if (this.handlers.has(name)) throw new Error(`upgrade handler ${name} is registered twice`);
    this.handlers.set(name, handler);
    return this;
  }

  get(name: string): UpgradeHandler | undefined {
    return this.handlers.get(name);
  }

  has(name: string): boolean {
    return this.handlers.has(name);
  }
}

/** The chain needs another binary; the node must stop (the message is for the operator). */
export class UpgradeNeededError extends Error {
  override readonly name = 'UpgradeNeededError';
  constructor(
    readonly upgrade: string,
    message: string,
  ) {
    super(message);
  }
}

function planText(p: { name: string; version: string }): string {
  return `${p.name} (version ${p.version})`;
}

export async function upgradeBeginBlock(ctx: Context, keeper: GovKeeper, handlers: UpgradeHandlers, firstBlock: boolean): Promise<void> {
  if (firstBlock) await checkBinaryVersion(ctx, keeper, handlers);
  const plan = await keeper.getUpgradePlan(ctx);
  if (!plan || BigInt(ctx.height) < plan.height) return;
  const handler = handlers.get(plan.name);
  if (!handler) {
    throw new UpgradeNeededError(
      plan.name,
      `UPGRADE NEEDED: ${plan.name} at height ${ctx.height}: the chain switches to version ${plan.version} here and this binary has no upgrade handler for it. ` +
        `Install version ${plan.version} and start the node again on the same data${plan.info ? ` (${plan.info})` : ''}.`,
    );
  }
  await handler(ctx, plan);
  await keeper.clearUpgradePlan(ctx);
  const applied: AppliedUpgrade = { name: plan.name, version: plan.version, height: BigInt(ctx.height) };
  await keeper.addAppliedUpgrade(ctx, applied);
  ctx.events.emit('upgrade_applied', { name: plan.name, version: plan.version, height: String(ctx.height), proposal_id: plan.proposalId.toString() });
}

/**
 * Run once per process before the first block it executes (cosmos-sdk `downgradeVerified`):
 * the last applied upgrade must be known to this binary, and a scheduled one must not be.
 */
async function checkBinaryVersion(ctx: Context, keeper: GovKeeper, handlers: UpgradeHandlers): Promise<void> {
  const last = await keeper.lastAppliedUpgrade(ctx);
  if (last && !handlers.has(last.name)) {
    throw new UpgradeNeededError(
      last.name,
      `UPGRADE NEEDED: ${last.name}: upgrade ${planText(last)} was applied at height ${last.height} and this binary does not know it; ` +
        `it is older than the chain. Run version ${last.version} or later.`,
    );
  }
  const plan = await keeper.getUpgradePlan(ctx);
  if (plan && BigInt(ctx.height) < plan.height && handlers.has(plan.name)) {
    throw new UpgradeNeededError(
      plan.name,
      `binary too new: it carries the handler of upgrade ${planText(plan)}, scheduled for height ${plan.height}, but the chain is at height ${ctx.height}. ` +
        `Run the previous version until the node halts at height ${plan.height}, then switch.`,
    );
  }
}
