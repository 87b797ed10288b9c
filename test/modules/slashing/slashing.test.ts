import { afterEach, describe, expect, it } from 'vitest';
import { toHex } from '@cosmjs/encoding';
import { moduleAddress } from '../../../app/chain/address.js';
import { BondStatus } from '../../../proto/gen/guts/staking/v1/staking.js';
import { consKey, DENOM, doubleSign, makeAccounts, msg, openStakingChain, type StakingChain } from '../staking/helpers.js';

let chain: StakingChain | undefined;
afterEach(async () => {
  await chain?.close();
  chain = undefined;
});

const START = 1_000_000n;
const A = consKey('slash-a');
const C = consKey('slash-c');

async function setup() {
  const accts = await makeAccounts(3, 61);
  chain = await openStakingChain({ accounts: accts.map((x) => ({ address: x.address, amount: START })) });
  const [a, b, c] = accts;
  await chain.block([
    await chain.sign(a!, [msg.createValidator(a!.address, A, 10_000n)]),
    await chain.sign(b!, [msg.stake(b!.address, a!.address, 30_000n)]),
    await chain.sign(c!, [msg.createValidator(c!.address, C, 5000n)]),
  ]);
  await chain.toEpochEnd();
  return { chain, a: a!, b: b!, c: c! };
}

async function delegationValue(c: StakingChain, del: string, val: string): Promise<bigint> {
  const ds = await c.modules.staking.api.delegationsOf(await c.view(), del);
  return ds.find((d) => d.validator === val)?.amount ?? 0n;
}

describe('slashing', () => {
  it('double sign: slashes 5% of the stake and of entries made after the offence, tombstones, and delegators lose pro rata', async () => {
    const { chain, a, b, c } = await setup();
    expect((await chain.tx(b, [msg.unstake(b.address, a.address, 2000n)])).code).toBe(0);
    await chain.toEpochEnd(); // entry 1: before the offence
    await chain.block();
    const offence = BigInt(chain.height);
    await chain.block([await chain.sign(b, [msg.unstake(b.address, a.address, 4000n)]), await chain.sign(b, [msg.redelegate(b.address, a.address, c.address, 3000n)])]);
    await chain.toEpochEnd(); // entry 2 and the redelegation: after the offence
    expect((await chain.validator(a.address)).tokens).toBe('31000');
    const supply0 = await chain.modules.bank.keeper.getSupply(await chain.view(), DENOM);
    const aBefore = await delegationValue(chain, a.address, a.address);

    const res = await chain.block([], { misbehavior: [doubleSign(A, offence)] });
    const v = await chain.validator(a.address);
    expect(v.tokens).toBe('29450'); // 31000 − 5%
    expect([v.tombstoned, v.jailed]).toEqual([true, true]);
    // a leaves the set; c's power drops by the redelegated stake burnt
    expect(new Map(res.validatorUpdates.map((u) => [toHex(u.pubKey.ed25519!), u.power]))).toEqual(new Map([[toHex(A.pub), 0n], [toHex(C.pub), 7850n]]));
    expect(v.status).toBe(BondStatus.BOND_STATUS_UNBONDING);
    const entries = [];
    for await (const e of chain.modules.staking.keeper.unbondingsOf(await chain.view(), b.address)) entries.push([e.initialBalance, e.balance]);
    expect(entries).toEqual([['2000', '2000'], ['4000', '3800']]);
    expect(await delegationValue(chain, b.address, c.address)).toBe(2850n);
    expect((await chain.validator(c.address)).tokens).toBe('7850');
    // delegators share the slash: each keeps 95% of its stake on a
    expect(await delegationValue(chain, b.address, a.address)).toBe(19_950n);
    expect(await delegationValue(chain, a.address, a.address)).toBe((aBefore * 95n) / 100n);
    const supply1 = await chain.modules.bank.keeper.getSupply(await chain.view(), DENOM);
    expect(supply1).toBe(supply0 + 1000n - 1550n - 200n - 150n); // this block's reward, minus what was burnt

    const info = await chain.modules.slashing.keeper.getSigningInfo(await chain.view(), A.address);
    expect(info?.tombstoned).toBe(true);
    // evidence of the same key again is not punished twice
    await chain.block([], { misbehavior: [doubleSign(A, offence)] });
    expect((await chain.validator(a.address)).tokens).toBe('29450');
    const unjail = await chain.tx(a, [msg.unjail(a.address)], { advance: 10_000n });
    expect([unjail.codespace, unjail.code]).toEqual(['slashing', 5]);
    const stake = await chain.tx(b, [msg.stake(b.address, a.address, 100n)]);
    expect([stake.codespace, stake.code]).toEqual(['staking', 19]);
  });

  it('downtime: missing more than half the window slashes 1% and jails; MsgUnjail works only after the jail period', async () => {
    const { chain, a, b } = await setup();
    const sign = (signed: boolean) => ({ votes: [{ address: A.address, signed }] });
    for (let i = 0; i < 4; i++) await chain.block([], sign(true));
    for (let i = 0; i < 5; i++) await chain.block([], sign(false));
    expect((await chain.validator(a.address)).jailed).toBe(false); // 5 of 9 missed: not yet
    const bBefore = await delegationValue(chain, b.address, a.address);
    const res = await chain.block([], sign(false)); // 6 of 10 missed > 50%
    const v = await chain.validator(a.address);
    expect(v.jailed).toBe(true);
    expect(v.tombstoned).toBe(false);
    expect(v.tokens).toBe('39600');
    expect(v.jailedUntil).toBe(chain.time + 30n);
    expect(res.validatorUpdates.map((u) => u.power)).toEqual([0n]);
    expect(await delegationValue(chain, b.address, a.address)).toBe((bBefore * 99n) / 100n);
    expect(v.blocksMissed).toBe(6n);
    expect(v.blocksSigned).toBe(4n);
    expect(v.uptimeBp).toBe(4000);

    const early = await chain.tx(a, [msg.unjail(a.address)]);
    expect([early.codespace, early.code]).toEqual(['slashing', 4]);
    expect(early.log).toContain('s to go');
    const notJailed = await chain.tx(b, [msg.unjail(b.address)]);
    expect([notJailed.codespace, notJailed.code]).toEqual(['slashing', 2]);
    const ok = await chain.tx(a, [msg.unjail(a.address)], { advance: 30n });
    expect(ok.code, ok.log).toBe(0);
    const back = chain.updates.get(chain.height)!;
    expect(back.map((u) => [toHex(u.pubKey.ed25519!), u.power])).toEqual([[toHex(A.pub), 39_600n]]);
    expect((await chain.validator(a.address)).status).toBe(BondStatus.BOND_STATUS_BONDED);
    const again = await chain.tx(a, [msg.unjail(a.address)]);
    expect([again.codespace, again.code]).toEqual(['slashing', 3]);
  });

  it('governance jail removes a validator at once and MsgUnjail waits for the given time', async () => {
    const { chain, a } = await setup();
    const { store } = chain;
    // run the jail as gov's Emergency execution would, inside a block
    const { EventManager } = await import('../../../app/chain/context.js');
    const ctx = { chainId: chain.chainId, height: chain.height + 1, time: { seconds: chain.time, nanos: 0 }, mode: 'deliver' as const, store, gasMeter: { limit: 0n, consumed: () => 0n, consume: () => {} }, events: new EventManager() };
    await chain.modules.staking.api.jail(ctx, a.address, chain.time + 100n);
    await expect(chain.modules.staking.api.jail(ctx, moduleAddress('nobody'))).rejects.toMatchObject({ codespace: 'staking', code: 2 });
    const res = await chain.block();
    expect(res.validatorUpdates.map((u) => u.power)).toEqual([0n]);
    const early = await chain.tx(a, [msg.unjail(a.address)]);
    expect([early.codespace, early.code]).toEqual(['slashing', 4]);
  });
});
