import { afterEach, describe, expect, it } from 'vitest';
import { EventManager, type Context } from '../../../app/chain/context.js';
import { consKey, makeAccounts, msg, openStakingChain, TEST_SLASHING_PARAMS, TEST_STAKING_PARAMS, type StakingChain } from './helpers.js';

let chain: StakingChain | undefined;
afterEach(async () => {
  await chain?.close();
  chain = undefined;
});

/** A deliver-mode context on the working state, as gov's execution in EndBlock has. */
function ctxOf(c: StakingChain): Context {
  return { chainId: c.chainId, height: c.height + 1, time: { seconds: c.time, nanos: 0 }, mode: 'deliver', store: c.store, gasMeter: { limit: 0n, consumed: () => 0n, consume: () => {} }, events: new EventManager() };
}

describe('staking and slashing parameter spaces', () => {
  it('list, read and validate every governable parameter as strings', async () => {
    const accts = await makeAccounts(1, 91);
    chain = await openStakingChain({ accounts: [{ address: accts[0]!.address, amount: 1000n }] });
    const staking = chain.modules.staking.params!;
    const slashing = chain.modules.slashing.params!;
    const ctx = ctxOf(chain);
    const { bond_denom: _denom, ...governable } = TEST_STAKING_PARAMS;
    expect(staking.names()).toEqual(Object.keys(governable));
    for (const [name, value] of Object.entries(governable)) expect(await staking.get(ctx, name)).toBe(value);
    expect(slashing.names()).toEqual(Object.keys(TEST_SLASHING_PARAMS));
    for (const [name, value] of Object.entries(TEST_SLASHING_PARAMS)) expect(await slashing.get(ctx, name)).toBe(value);

    const refused: [typeof staking, string, string, string][] = [
      [staking, 'max_validators', '0', 'staking'],
      [staking, 'epoch_length', '-1', 'staking'],
      [staking, 'community_tax', '10001', 'staking'],
      [staking, 'min_stake', '1e6', 'staking'],
      [staking, 'bond_denom', 'uatom', 'staking'],
      [staking, 'nope', '1', 'staking'],
      [slashing, 'slash_fraction_double_sign', '10001', 'slashing'],
      [slashing, 'signed_blocks_window', '5', 'slashing'],
      [slashing, 'downtime_jail_duration', '', 'slashing'],
    ];
    for (const [space, name, value, codespace] of refused) {
      await expect(space.set(ctx, name, value), `${name}=${value}`).rejects.toMatchObject({ codespace });
    }
    await staking.set(ctx, 'max_validators', '120');
    await slashing.set(ctx, 'slash_fraction_downtime', '250');
    expect(await staking.get(ctx, 'max_validators')).toBe('120');
    expect(await slashing.get(ctx, 'slash_fraction_downtime')).toBe('250');
  });

  it('a changed epoch_length moves the next epoch end', async () => {
    const accts = await makeAccounts(1, 92);
    chain = await openStakingChain({ accounts: [{ address: accts[0]!.address, amount: 1_000_000n }] });
    await chain.tx(accts[0]!, [msg.createValidator(accts[0]!.address, consKey('p'), 5000n)]);
    await chain.modules.staking.params!.set(ctxOf(chain), 'epoch_length', '10');
    await chain.block(); // height 2 commits the change
    for (let h = 3; h <= 4; h++) expect((await chain.block()).validatorUpdates).toEqual([]); // the old end passes by
    const res = await chain.toEpochEnd();
    expect(chain.height).toBe(10);
    expect(res.validatorUpdates.map((u) => u.power)).toEqual([5000n]);
  });
});
