import { afterEach, describe, expect, it } from 'vitest';
import { BondStatus, Params } from '../../../proto/gen/guts/staking/v1/staking.js';
import { QueryParamsRequest, QueryParamsResponse } from '../../../proto/gen/guts/staking/v1/query.js';
import { PARAMS_KEY } from '../../../modules/staking/keys.js';
import { paramsFromProto, stakingParamsToJson } from '../../../modules/staking/params.js';
import { consKey, makeAccounts, msg, openStakingChain, type StakingChain } from './helpers.js';

const chains: StakingChain[] = [];
afterEach(async () => {
  for (const c of chains.splice(0)) await c.close();
});

const START = 1_000_000n;

/** The queued changes due at the epoch end are applied `max_changes_per_block` at a time. */
describe('staking queue applied in bounded batches', () => {
  it('applies an epoch of queued stakes over the next blocks and moves the set once the last one is in; export mid-drain imports identically', async () => {
    const accts = await makeAccounts(6, 61);
    const chain = await openStakingChain({ accounts: accts.map((a) => ({ address: a.address, amount: START })), staking: { max_changes_per_block: '2' } });
    chains.push(chain);
    const [a, ...stakers] = accts;
    // five queued changes in one epoch: the validator's self-stake and four stakes
    const txs = [await chain.sign(a!, [msg.createValidator(a!.address, consKey('qa'), 5000n)])];
    for (const s of stakers.slice(0, 4)) txs.push(await chain.sign(s, [msg.stake(s.address, a!.address, 1000n)]));
    const r = await chain.block(txs);
    expect(r.txResults.map((t) => t.code)).toEqual([0, 0, 0, 0, 0]);

    const keeper = chain.modules.staking.keeper;
    const due = async () => keeper.getDueBefore(await chain.view());
    const queued = async () => {
      let n = 0;
      for await (const _ of keeper.pending(await chain.view())) n++;
      return n;
    };

    const end = await chain.toEpochEnd(); // block 4: the first two (self-stake, first stake)
    expect(chain.height).toBe(4);
    expect(end.validatorUpdates).toEqual([]);
    expect(await queued()).toBe(3);
    expect(await due()).toBeGreaterThan(0n);
    let v = await chain.validator(a!.address);
    expect(v.tokens).toBe('6000');
    expect(v.status).toBe(BondStatus.BOND_STATUS_UNBONDED);
    expect(end.events.find((e) => e.type === 'stake_changes_applied')?.attributes.map((x) => [x.key, x.value])).toEqual([
      ['applied', '2'],
      ['more_due', 'true'],
      ['validator_updates', '0'],
    ]);

    // an export while the queue drains carries `due_before`, and the import continues the same way
    const exported = JSON.parse(await chain.exportJson()) as { staking: Record<string, unknown> };
    expect(exported.staking.due_before).toBe((await due()).toString());
    const copy = await openStakingChain({ accounts: [], appState: exported as unknown as Record<string, unknown> });
    chains.push(copy);
    expect(await copy.exportJson()).toBe(JSON.stringify(exported));

    const b5 = await chain.block(); // the next two
    expect(b5.validatorUpdates).toEqual([]);
    expect(await queued()).toBe(1);
    expect((await chain.validator(a!.address)).tokens).toBe('8000');

    const b6 = await chain.block(); // the last one: the queue is drained and the set moves here
    expect(await queued()).toBe(0);
    expect(await due()).toBe(0n);
    expect(b6.validatorUpdates.map((u) => u.power)).toEqual([9000n]);
    v = await chain.validator(a!.address);
    expect(v.tokens).toBe('9000');
    expect(v.status).toBe(BondStatus.BOND_STATUS_BONDED);
    expect((JSON.parse(await chain.exportJson()) as { staking: Record<string, unknown> }).staking.due_before).toBeUndefined();

    // a stake queued during the drain waited for the next epoch end, not the drain
    const late = await chain.tx(stakers[4]!, [msg.stake(stakers[4]!.address, a!.address, 500n)]);
    expect(late.code, late.log).toBe(0);
    const b8 = await chain.toEpochEnd();
    expect(chain.height).toBe(8);
    expect(b8.validatorUpdates.map((u) => u.power)).toEqual([9500n]);
  });

  it('moves the set at an epoch end that finds the last drain unfinished, and again when it finishes', async () => {
    const accts = await makeAccounts(6, 63);
    const chain = await openStakingChain({ accounts: accts.map((a) => ({ address: a.address, amount: START })), staking: { max_changes_per_block: '1' } });
    chains.push(chain);
    const [a, ...stakers] = accts;
    const txs = [await chain.sign(a!, [msg.createValidator(a!.address, consKey('qb'), 5000n)])];
    for (const s of stakers) txs.push(await chain.sign(s, [msg.stake(s.address, a!.address, 1000n)]));
    expect((await chain.block(txs)).txResults.every((t) => t.code === 0)).toBe(true);
    // six changes, one per block from block 4: blocks 4..7 apply four and move nothing
    expect((await chain.toEpochEnd()).validatorUpdates).toEqual([]);
    for (let h = 5; h <= 7; h++) expect((await chain.block()).validatorUpdates).toEqual([]);
    expect((await chain.validator(a!.address)).tokens).toBe('8000');
    // block 8 ends the next epoch with the drain unfinished: the fifth applies and the set moves
    const b8 = await chain.block();
    expect(chain.height).toBe(8);
    expect(b8.validatorUpdates.map((u) => u.power)).toEqual([9000n]);
    // block 9 applies the last one and the set moves again
    const b9 = await chain.block();
    expect(b9.validatorUpdates.map((u) => u.power)).toEqual([10000n]);
    expect(await chain.modules.staking.keeper.getDueBefore(await chain.view())).toBe(0n);
  });

  it('rejects max_changes_per_block outside 1..1000000 and accepts a genesis without it (default 100)', async () => {
    const accts = await makeAccounts(1, 62);
    await expect(openStakingChain({ accounts: [{ address: accts[0]!.address, amount: START }], staking: { max_changes_per_block: '0' } })).rejects.toThrow(/max_changes_per_block/);
    const chain = await openStakingChain({ accounts: [{ address: accts[0]!.address, amount: START }], staking: { max_changes_per_block: undefined } });
    chains.push(chain);
    expect((await chain.modules.staking.keeper.getParams(await chain.view())).maxChangesPerBlock).toBe(100);
  });

  it('answers Query/Params with the max_changes_per_block in force, while the stored record stays without it', async () => {
    const accts = await makeAccounts(1, 63);
    const chain = await openStakingChain({ accounts: [{ address: accts[0]!.address, amount: START }], staking: { max_changes_per_block: '7' } });
    chains.push(chain);
    const res = await chain.app.query({ path: '/guts.staking.v1.Query/Params', data: QueryParamsRequest.encode({}).finish(), height: 0n, prove: false });
    expect(res.code).toBe(0);
    const answered = paramsFromProto(QueryParamsResponse.decode(res.value).params!);
    expect(answered.maxChangesPerBlock).toBe(7);
    expect(stakingParamsToJson(answered).max_changes_per_block).toBe('7');
    // the record in state is what it was before the field existed (app hashes unchanged)
    const stored = (await (await chain.view()).store.get(PARAMS_KEY))!;
    expect(Params.decode(stored).maxChangesPerBlock).toBe(0);
  });
});
