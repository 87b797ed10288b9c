import { afterEach, describe, expect, it } from 'vitest';
import { toHex } from '@cosmjs/encoding';
import { BondStatus } from '../../../proto/gen/guts/staking/v1/staking.js';
import { consKey, DENOM, makeAccounts, msg, openStakingChain, type StakingChain } from './helpers.js';

let chain: StakingChain | undefined;
afterEach(async () => {
  await chain?.close();
  chain = undefined;
});

const START = 1_000_000n;

/** What a refused message could have changed: records, queue, entries (not per-block reward indexes). */
async function stakeState(c: StakingChain): Promise<string> {
  const s = (JSON.parse(await c.exportJson()) as { staking: Record<string, unknown[]> }).staking;
  const ops = (s.validators as { operator_address: string }[]).map((v) => v.operator_address);
  return JSON.stringify([ops, s.delegations, s.pending, s.unbonding_entries, s.redelegations, s.next_id]);
}

async function setup(staking: Parameters<typeof openStakingChain>[0]['staking'] = {}) {
  const accts = await makeAccounts(4, 41);
  chain = await openStakingChain({ accounts: accts.map((a) => ({ address: a.address, amount: START })), staking });
  return { chain, accts };
}

describe('staking epochs', () => {
  it('a validator joins by staking and enters the set at the epoch end, with an update for consensus', async () => {
    const { chain, accts: [a] } = await setup();
    const key = consKey('a');
    const r = await chain.tx(a!, [msg.createValidator(a!.address, key, 5000n)]);
    expect(r.code, r.log).toBe(0);
    let v = await chain.validator(a!.address);
    expect(v.status).toBe(BondStatus.BOND_STATUS_UNBONDED);
    expect(v.tokens).toBe('0');
    expect(await chain.balance(a!.address)).toBe(START - 5000n - 2000n);

    const res = await chain.toEpochEnd();
    expect(chain.height).toBe(4);
    expect(res.validatorUpdates).toHaveLength(1);
    expect(toHex(res.validatorUpdates[0]!.pubKey.ed25519!)).toBe(toHex(key.pub));
    expect(res.validatorUpdates[0]!.power).toBe(5000n);
    v = await chain.validator(a!.address);
    expect(v.status).toBe(BondStatus.BOND_STATUS_BONDED);
    expect(v.tokens).toBe('5000');
    expect(await chain.modules.staking.api.totalBondedPower(await chain.view())).toBe(5000n);
    expect((await chain.modules.staking.api.bondedValidator(await chain.view(), a!.address))?.selfStake).toBe(5000n);
  });

  it('applies stakes and unstakes only at the epoch end; unstaked tokens stay locked for lock_period, then are paid automatically', async () => {
    const { chain, accts: [a, b] } = await setup();
    await chain.tx(a!, [msg.createValidator(a!.address, consKey('a'), 5000n)]);
    await chain.toEpochEnd();
    const r1 = await chain.tx(b!, [msg.stake(b!.address, a!.address, 3000n)]);
    expect(r1.code, r1.log).toBe(0);
    expect((await chain.validator(a!.address)).tokens).toBe('5000');
    const end = await chain.toEpochEnd();
    expect(end.validatorUpdates.map((u) => u.power)).toEqual([8000n]);
    expect((await chain.validator(a!.address)).tokens).toBe('8000');

    const before = await chain.balance(b!.address);
    const r2 = await chain.tx(b!, [msg.unstake(b!.address, a!.address, 1000n)]);
    expect(r2.code, r2.log).toBe(0);
    const over = await chain.tx(b!, [msg.unstake(b!.address, a!.address, 2001n)]);
    expect([over.codespace, over.code]).toEqual(['staking', 11]);
    expect(over.log).toContain('2000 is available');
    const end2 = await chain.toEpochEnd();
    expect(end2.validatorUpdates.map((u) => u.power)).toEqual([7000n]);
    const view = await chain.view();
    const entries = [];
    for await (const e of chain.modules.staking.keeper.unbondingsOf(view, b!.address)) entries.push(e);
    expect(entries).toHaveLength(1);
    expect(entries[0]!.balance).toBe('1000');
    const afterFees = before - 4000n; // two txs
    expect(await chain.balance(b!.address)).toBe(afterFees);
    // locked: moving it again is refused, and nothing is paid before lock_period
    const again = await chain.tx(b!, [msg.unstake(b!.address, a!.address, 2001n)]);
    expect([again.codespace, again.code]).toEqual(['staking', 11]);
    expect(again.log).toContain('already unbonding');
    while (chain.time < entries[0]!.completionTime - 1n) await chain.block();
    const locked = await chain.balance(b!.address);
    await chain.block();
    expect(await chain.balance(b!.address)).toBe(locked + 1000n);
    for await (const e of chain.modules.staking.keeper.unbondingsOf(await chain.view(), b!.address)) throw new Error(`entry ${e.id} left`);
  });

  it('keeps the top max_validators by stake with at least min_stake and swaps on stake changes', async () => {
    const accts = await makeAccounts(6, 42);
    chain = await openStakingChain({ accounts: accts.map((a) => ({ address: a.address, amount: START })), staking: { max_validators: '2' } });
    const [a, b, c, d] = accts;
    await chain.block([
      await chain.sign(a!, [msg.createValidator(a!.address, consKey('a'), 3000n)]),
      await chain.sign(b!, [msg.createValidator(b!.address, consKey('b'), 2000n)]),
      await chain.sign(c!, [msg.createValidator(c!.address, consKey('c'), 1000n)]),
    ]);
    const first = await chain.toEpochEnd();
    expect(first.validatorUpdates.map((u) => u.power).sort()).toEqual([2000n, 3000n]);
    expect((await chain.validator(c!.address)).status).toBe(BondStatus.BOND_STATUS_UNBONDED);
    // d backs c, which overtakes b
    expect((await chain.tx(d!, [msg.stake(d!.address, c!.address, 1500n)])).code).toBe(0);
    const second = await chain.toEpochEnd();
    const byKey = new Map(second.validatorUpdates.map((u) => [toHex(u.pubKey.ed25519!), u.power]));
    expect(byKey.get(toHex(consKey('c').pub))).toBe(2500n);
    expect(byKey.get(toHex(consKey('b').pub))).toBe(0n);
    expect(byKey.size).toBe(2);
    expect((await chain.validator(b!.address)).status).toBe(BondStatus.BOND_STATUS_UNBONDING);
    // a validator below min_stake never enters
    expect((await chain.tx(a!, [msg.unstake(a!.address, a!.address, 2500n)])).code).toBe(0);
    const third = await chain.toEpochEnd();
    const k3 = new Map(third.validatorUpdates.map((u) => [toHex(u.pubKey.ed25519!), u.power]));
    expect(k3.get(toHex(consKey('a').pub))).toBe(0n);
    expect(k3.get(toHex(consKey('b').pub))).toBe(2000n);
  });

  it('refuses bad stake messages with registered errors and leaves state unchanged', async () => {
    const { chain, accts: [a, b] } = await setup({ epoch_length: '1000' });
    await chain.tx(a!, [msg.createValidator(a!.address, consKey('a'), 5000n)]);
    const cases: [string, ReturnType<typeof msg.stake>, string, number][] = [
      ['self-stake below min_stake', msg.createValidator(b!.address, consKey('b'), 999n), 'staking', 9],
      ['reused consensus key', msg.createValidator(b!.address, consKey('a'), 5000n), 'staking', 4],
      ['rate above max', msg.createValidator(b!.address, consKey('b'), 5000n, { rateBp: 3000, maxRateBp: 2000, maxChangeRateBp: 10 }), 'staking', 7],
      ['rate above 100%', msg.createValidator(b!.address, consKey('b'), 5000n, { rateBp: 10, maxRateBp: 10001, maxChangeRateBp: 10 }), 'staking', 7],
      ['stake to nobody', msg.stake(b!.address, b!.address, 10n), 'staking', 2],
      ['unstake without stake', msg.unstake(b!.address, a!.address, 10n), 'staking', 13],
      ['redelegate to self', msg.redelegate(b!.address, a!.address, a!.address, 10n), 'staking', 14],
      ['zero stake', msg.stake(b!.address, a!.address, 0n), 'staking', 17],
      ['wrong denom', { typeUrl: '/guts.staking.v1.MsgStake', value: { delegatorAddress: b!.address, validatorAddress: a!.address, amount: { denom: 'uatom', amount: '5' } } }, 'staking', 10],
      ['more than the balance', msg.stake(b!.address, a!.address, START * 2n), 'sdk', 5],
      ['bad moniker', msg.createValidator(b!.address, consKey('b'), 5000n, undefined, 'x'.repeat(71)), 'staking', 6],
      ['bad pubkey', { ...msg.createValidator(b!.address, consKey('b'), 5000n), value: { ...msg.createValidator(b!.address, consKey('b'), 5000n).value, pubkey: new Uint8Array(31) } }, 'staking', 5],
    ];
    for (const [name, m, codespace, code] of cases) {
      const before = await stakeState(chain);
      const r = await chain.tx(b!, [m]);
      expect([r.codespace, r.code], name).toEqual([codespace, code]);
      expect(await stakeState(chain), name).toBe(before);
    }
    const second = await chain.tx(a!, [msg.createValidator(a!.address, consKey('x'), 5000n)]);
    expect([second.codespace, second.code]).toEqual(['staking', 3]);
    expect(DENOM).toBe('ugut');
  });
});
