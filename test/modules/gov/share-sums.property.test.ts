/**
 * The tally gov keeps as per-proposal share sums (votes, re-votes, delegation share changes
 * reported by staking, slashes) always equals a recount from every vote and delegation,
 * and a rebuild after an import gives the same sums. Real GovKeeper over an in-memory store;
 * staking is a small model with shares worth tokens / shares.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bech32Address } from '../../../app/chain/address.js';
import type { Context } from '../../../app/chain/context.js';
import { createMemoryKV } from '../../../app/store/memory.js';
import { currentTally, recountTally } from '../../../modules/gov/abci.js';
import type { GovDeps } from '../../../modules/gov/deps.js';
import type { BondedValidator, DelegationChange, StakingKeeper } from '../../../modules/gov/expected.js';
import { GovKeeper } from '../../../modules/gov/keeper.js';
import { countVote, delegationsChanged, rebuildShareSums } from '../../../modules/gov/share-sums.js';
import { UpgradeHandlers } from '../../../modules/gov/upgrade.js';
import { VoteOption } from '../../../proto/gen/guts/gov/v1/gov.js';

const addr = (tag: number) => bech32Address(new Uint8Array(20).fill(tag));
const VALS = [1, 2, 3].map(addr);
const ACCOUNTS = [...VALS, ...[11, 12, 13, 14, 15].map(addr)];
const OPTIONS = [VoteOption.VOTE_OPTION_YES, VoteOption.VOTE_OPTION_ABSTAIN, VoteOption.VOTE_OPTION_NO, VoteOption.VOTE_OPTION_NO_WITH_VETO];

class ModelStaking implements StakingKeeper {
  readonly tokens = new Map<string, bigint>(VALS.map((v) => [v, 0n]));
  readonly shares = new Map<string, bigint>(VALS.map((v) => [v, 0n]));
  /** `delegator validator` → shares */
  readonly delegations = new Map<string, bigint>();
  readonly unbonded = new Set<string>();
  hook: ((ctx: Context, changes: readonly DelegationChange[]) => Promise<void>) | undefined;

  async bondedValidator(_ctx: unknown, operator: string): Promise<BondedValidator | undefined> {
    if (!this.tokens.has(operator) || this.unbonded.has(operator)) return undefined;
    return { operator, power: this.tokens.get(operator)!, shares: this.shares.get(operator)! };
  }
  async bondedValidators(ctx: unknown): Promise<BondedValidator[]> {
    const out: BondedValidator[] = [];
    for (const v of VALS) {
      const b = await this.bondedValidator(ctx, v);
      if (b) out.push(b);
    }
    return out;
  }
  async totalBondedPower(ctx: unknown): Promise<bigint> {
    return (await this.bondedValidators(ctx)).reduce((s, v) => s + v.power, 0n);
  }
  async delegationSharesOf(_ctx: unknown, delegator: string) {
    return VALS.map((validator) => ({ validator, shares: this.delegations.get(`${delegator} ${validator}`) ?? 0n })).filter((d) => d.shares > 0n);
  }
  async delegationsOf(_ctx: unknown, delegator: string) {
    return (await this.delegationSharesOf(_ctx, delegator)).map((d) => ({ validator: d.validator, amount: (d.shares * this.tokens.get(d.validator)!) / this.shares.get(d.validator)! }));
  }
  onDelegationsChanged(hook: (ctx: Context, changes: readonly DelegationChange[]) => Promise<void>): void {
    this.hook = hook;
  }
  async jail(): Promise<void> {}

  /** Stake `amount` tokens (or unstake, negative) on `validator` for `delegator` at the current share price. */
  async restake(ctx: Context, delegator: string, validator: string, amount: bigint): Promise<void> {
    const key = `${delegator} ${validator}`;
    const before = this.delegations.get(key) ?? 0n;
    const tokens = this.tokens.get(validator)!;
    const total = this.shares.get(validator)!;
    let delta = total === 0n || tokens === 0n ? amount : (amount * total) / tokens;
    if (before + delta < 0n) delta = -before;
    const tokenDelta = total === 0n ? delta : total + delta === 0n ? -tokens : (delta * tokens) / total;
    this.delegations.set(key, before + delta);
    this.shares.set(validator, total + delta);
    this.tokens.set(validator, tokens + tokenDelta < 0n ? 0n : tokens + tokenDelta);
    if (delta !== 0n) await this.hook!(ctx, [{ delegator, validator, sharesBefore: before, sharesAfter: before + delta }]);
  }
}

type Cmd =
  | { kind: 'vote'; who: number; option: VoteOption }
  | { kind: 'stake'; who: number; val: number; amount: bigint }
  | { kind: 'slash'; val: number; bp: bigint }
  | { kind: 'unbond'; val: number; out: boolean };

const cmd: fc.Arbitrary<Cmd> = fc.oneof(
  fc.record({ kind: fc.constant('vote' as const), who: fc.nat(ACCOUNTS.length - 1), option: fc.constantFrom(...OPTIONS) }),
  fc.record({ kind: fc.constant('stake' as const), who: fc.nat(ACCOUNTS.length - 1), val: fc.nat(VALS.length - 1), amount: fc.bigInt({ min: -5_000n, max: 10_000n }) }),
  fc.record({ kind: fc.constant('slash' as const), val: fc.nat(VALS.length - 1), bp: fc.bigInt({ min: 1n, max: 9_999n }) }),
  fc.record({ kind: fc.constant('unbond' as const), val: fc.nat(VALS.length - 1), out: fc.boolean() }),
);

async function run(cmds: Cmd[]) {
  const store = createMemoryKV();
  const ctx = { store, height: 1, time: { seconds: 0n, nanos: 0 } } as unknown as Context;
  const keeper = new GovKeeper();
  const staking = new ModelStaking();
  const deps = { keeper, staking, bank: undefined as never, modules: undefined as never, upgrades: new UpgradeHandlers() } as GovDeps;
  staking.onDelegationsChanged((c, changes) => delegationsChanged(deps, c, changes));
  await keeper.enqueue(ctx, 'voting', { seconds: 100n, nanos: 0 }, 1n);
  // every validator starts with a self-delegation
  for (const v of VALS) await staking.restake(ctx, v, v, 1_000n);
  for (const c of cmds) {
    if (c.kind === 'vote') {
      const voter = ACCOUNTS[c.who]!;
      const previous = await keeper.getVote(ctx, 1n, voter);
      await keeper.setVote(ctx, { proposalId: 1n, voter, option: c.option });
      await countVote(deps, ctx, 1n, voter, c.option, previous?.option);
    } else if (c.kind === 'stake') {
      await staking.restake(ctx, ACCOUNTS[c.who]!, VALS[c.val]!, c.amount);
    } else if (c.kind === 'slash') {
      const v = VALS[c.val]!;
      staking.tokens.set(v, staking.tokens.get(v)! - (staking.tokens.get(v)! * c.bp) / 10_000n);
    } else {
      if (c.out) staking.unbonded.add(VALS[c.val]!);
      else staking.unbonded.delete(VALS[c.val]!);
    }
    expect(await currentTally(deps, ctx, 1n)).toEqual(await recountTally(deps, ctx, 1n));
  }
  // an import: the sums are rebuilt from the votes and give the same tally
  const kept = await currentTally(deps, ctx, 1n);
  await keeper.clearShareSums(ctx, 1n);
  await keeper.setShareSumsStale(ctx, true);
  expect(await currentTally(deps, ctx, 1n)).toEqual(kept);
  await rebuildShareSums(deps, ctx);
  expect(await keeper.shareSumsStale(ctx)).toBe(false);
  expect(await currentTally(deps, ctx, 1n)).toEqual(kept);
  return kept;
}

describe('gov share sums', () => {
  it('keep the tally equal to a recount through votes, re-votes, stake changes, slashes and set changes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(cmd, { minLength: 1, maxLength: 40 }), async (cmds) => {
        await run(cmds);
      }),
      { numRuns: 150 },
    );
  });

  it('count a delegator who voted before its stake arrived, and drop what it unstaked', async () => {
    const t = await run([
      { kind: 'vote', who: 0, option: VoteOption.VOTE_OPTION_YES },
      { kind: 'vote', who: VALS.length, option: VoteOption.VOTE_OPTION_NO },
      { kind: 'stake', who: VALS.length, val: 0, amount: 400n },
      { kind: 'stake', who: VALS.length, val: 0, amount: -100n },
    ]);
    // the validator's 1000 vote Yes; the delegator's remaining 300 vote No
    expect(t).toEqual({ yes: 1000n, no: 300n, abstain: 0n, noWithVeto: 0n, totalBonded: 3300n });
  });
});
