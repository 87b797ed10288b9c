import { afterEach, describe, expect, it } from 'vitest';
import { moduleAddress } from '../../../app/chain/address.js';
import { DISTRIBUTION, FEE_COLLECTOR, TREASURY } from '../../../modules/staking/pools.js';
import { consKey, DENOM, makeAccounts, msg, openStakingChain, type StakingChain } from './helpers.js';

let chain: StakingChain | undefined;
afterEach(async () => {
  await chain?.close();
  chain = undefined;
});

const START = 1_000_000n;

async function bondedPair(staking: Parameters<typeof openStakingChain>[0]['staking'] = {}) {
  const accts = await makeAccounts(3, 51);
  chain = await openStakingChain({ accounts: accts.map((a) => ({ address: a.address, amount: START })), staking });
  const [a, b] = accts;
  await chain.block([
    await chain.sign(a!, [msg.createValidator(a!.address, consKey('a'), 10_000n, { rateBp: 1000, maxRateBp: 2000, maxChangeRateBp: 100 })]),
    await chain.sign(b!, [msg.stake(b!.address, a!.address, 30_000n)]),
  ]);
  await chain.toEpochEnd();
  return { chain, accts };
}

/** Commission of 10% on each block's validator part, summed (floors per block make it at most 11 below). */
function toCommission(validatorPart: bigint): bigint {
  return (validatorPart * 1000n) / 10_000n;
}

async function supply(c: StakingChain): Promise<bigint> {
  return c.modules.bank.keeper.getSupply(await c.view(), DENOM);
}

describe('staking rewards', () => {
  it('mints nothing and leaves fees in the fee collector while no validator is bonded', async () => {
    const accts = await makeAccounts(2, 52);
    chain = await openStakingChain({ accounts: accts.map((a) => ({ address: a.address, amount: START })) });
    const s0 = await supply(chain);
    await chain.tx(accts[0]!, [{ typeUrl: '/cosmos.bank.v1beta1.MsgSend', value: { fromAddress: accts[0]!.address, toAddress: accts[1]!.address, amount: [{ denom: DENOM, amount: '5' }] } }]);
    await chain.block();
    expect(await supply(chain)).toBe(s0);
    expect(await chain.balance(moduleAddress(FEE_COLLECTOR))).toBe(2000n);
  });

  it('pays fees and the block reward by power: commission to the operator, the rest by share, the tax to the treasury — summing exactly', async () => {
    const { chain, accts: [a, b, c] } = await bondedPair();
    const bal = (addr: string) => chain.balance(addr);
    const [s0, t0, d0, f0, a0, b0] = [await supply(chain), await bal(moduleAddress(TREASURY)), await bal(moduleAddress(DISTRIBUTION)), await bal(moduleAddress(FEE_COLLECTOR)), await bal(a!.address), await bal(b!.address)];
    for (let i = 0; i < 10; i++) {
      if (i === 3 || i === 6) await chain.tx(c!, [{ typeUrl: '/cosmos.bank.v1beta1.MsgSend', value: { fromAddress: c!.address, toAddress: c!.address, amount: [{ denom: DENOM, amount: '1' }] } }]);
      else await chain.block();
    }
    // both withdraw in the same block, after that block's rewards
    const res = await chain.block([await chain.sign(b!, [msg.withdraw(b!.address)]), await chain.sign(a!, [msg.withdraw(a!.address)])]);
    expect(res.txResults.map((r) => r.code)).toEqual([0, 0]);
    const minted = (await supply(chain)) - s0;
    expect(minted, 'only the block reward is created').toBe(11n * 1000n);
    const feesIn = f0 + 4n * 2000n - (await bal(moduleAddress(FEE_COLLECTOR)));
    const gotA = (await bal(a!.address)) - a0 + 2000n;
    const gotB = (await bal(b!.address)) - b0 + 2000n;
    const toTreasury = (await bal(moduleAddress(TREASURY))) - t0;
    const left = (await bal(moduleAddress(DISTRIBUTION))) - d0;
    expect(toTreasury + left + gotA + gotB, 'no token created or lost').toBe(minted + feesIn);
    expect(left, 'only rounding dust stays in the reward pool').toBeLessThanOrEqual(3n);
    expect(toTreasury).toBeGreaterThanOrEqual(((minted + feesIn) * 200n) / 10_000n);
    expect(toTreasury).toBeLessThanOrEqual(((minted + feesIn) * 200n) / 10_000n + 11n);

    const commission = BigInt((await chain.validator(a!.address)).accumulatedCommission); // withdrawn: 0 now
    expect(commission).toBe(0n);
    const delegators = gotA + gotB - toCommission(minted + feesIn - toTreasury);
    // b holds 3/4 of the shares, a 1/4 (plus the 10% commission, computed per block)
    const abs = (x: bigint) => (x < 0n ? -x : x);
    expect(abs(4n * gotB - 3n * delegators)).toBeLessThanOrEqual(4n * 11n + 4n);
  });

  it('limits commission changes: within max rate, by max change per day, once a day', async () => {
    const { chain, accts: [a] } = await bondedPair();
    const up = await chain.tx(a!, [msg.edit(a!.address, { commissionRateBp: 1100 })], { advance: 86_400n });
    expect(up.code, up.log).toBe(0);
    expect((await chain.validator(a!.address)).commission!.rateBp).toBe(1100);
    const soon = await chain.tx(a!, [msg.edit(a!.address, { commissionRateBp: 1150 })]);
    expect([soon.codespace, soon.code]).toEqual(['staking', 8]);
    expect(soon.log).toContain('next change is allowed');
    const tooMuch = await chain.tx(a!, [msg.edit(a!.address, { commissionRateBp: 1300 })], { advance: 86_400n });
    expect([tooMuch.codespace, tooMuch.code]).toEqual(['staking', 8]);
    const aboveMax = await chain.tx(a!, [msg.edit(a!.address, { commissionRateBp: 2100 })], { advance: 86_400n });
    expect([aboveMax.codespace, aboveMax.code]).toEqual(['staking', 7]);
    const renamed = await chain.tx(a!, [msg.edit(a!.address, { moniker: 'alice' })]);
    expect(renamed.code).toBe(0);
    const v = await chain.validator(a!.address);
    expect([v.description!.moniker, v.commission!.rateBp]).toEqual(['alice', 1100]);
  });

  it('redelegates at the epoch end and refuses to move redelegated stake again while it is locked', async () => {
    const { chain, accts: [a, b, c] } = await bondedPair();
    expect((await chain.tx(c!, [msg.createValidator(c!.address, consKey('c'), 5000n)])).code).toBe(0);
    await chain.toEpochEnd();
    const r = await chain.tx(b!, [msg.redelegate(b!.address, a!.address, c!.address, 10_000n)]);
    expect(r.code, r.log).toBe(0);
    const end = await chain.toEpochEnd();
    expect(end.validatorUpdates.map((u) => u.power).sort()).toEqual([15_000n, 30_000n]);
    const back = await chain.tx(b!, [msg.redelegate(b!.address, c!.address, a!.address, 1000n)]);
    expect([back.codespace, back.code]).toEqual(['staking', 12]);
    expect(back.log).toContain('cannot be redelegated again');
    // unstaking it is allowed
    expect((await chain.tx(b!, [msg.unstake(b!.address, c!.address, 1000n)])).code).toBe(0);
  });
});
