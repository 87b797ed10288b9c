import { afterEach, describe, expect, it } from 'vitest';
import { toBase64 } from '@cosmjs/encoding';
import { GenesisError } from '../../../app/chain/genesis-error.js';
import { BondStatus } from '../../../proto/gen/guts/staking/v1/staking.js';
import { genesisValidatorSet, validateStakingGenesis } from '../../../modules/staking/genesis.js';
import { consKey, doubleSign, makeAccounts, msg, openStakingChain, TEST_STAKING_PARAMS, type StakingChain } from './helpers.js';

const chains: StakingChain[] = [];
afterEach(async () => {
  for (const c of chains.splice(0)) await c.close();
});

const START = 1_000_000n;

describe('staking genesis', () => {
  it('export → import → export gives the same bytes with validators, delegations, queue, unbonding, redelegations, jail and signing infos', async () => {
    const accts = await makeAccounts(4, 71);
    const chain = await openStakingChain({ accounts: accts.map((a) => ({ address: a.address, amount: START })) });
    chains.push(chain);
    const [a, b, c, d] = accts;
    const [ka, kc] = [consKey('ga'), consKey('gc')];
    await chain.block([
      await chain.sign(a!, [msg.createValidator(a!.address, ka, 10_000n)]),
      await chain.sign(c!, [msg.createValidator(c!.address, kc, 8000n)]),
      await chain.sign(b!, [msg.stake(b!.address, a!.address, 5000n)]),
    ]);
    await chain.toEpochEnd();
    await chain.block([await chain.sign(b!, [msg.unstake(b!.address, a!.address, 1000n)]), await chain.sign(b!, [msg.redelegate(b!.address, a!.address, c!.address, 2000n)])]);
    await chain.toEpochEnd({ votes: [{ address: ka.address, signed: true }, { address: kc.address, signed: false }] });
    await chain.block([await chain.sign(d!, [msg.stake(d!.address, a!.address, 3000n)]), await chain.sign(b!, [msg.unstake(b!.address, c!.address, 500n)])], { misbehavior: [doubleSign(kc, 3n)] });
    const first = await chain.exportJson();
    const state = JSON.parse(first) as Record<string, any>;
    expect(state.staking.pending).toHaveLength(2);
    expect(state.staking.unbonding_entries).toHaveLength(1);
    expect(state.staking.redelegations).toHaveLength(1);
    expect(state.staking.validators.find((v: any) => v.operator_address === c!.address).tombstoned).toBe(true);
    expect(state.slashing.signing_infos.length).toBeGreaterThan(0);

    const g = validateStakingGenesis(state.staking, 'app_state.staking');
    const set = genesisValidatorSet(g);
    const imported = await openStakingChain({ accounts: [], appState: state, consensusValidators: set });
    chains.push(imported);
    expect(await imported.exportJson()).toBe(first);
    // and the imported chain goes on: the queue applies at its epoch end
    imported.time = chain.time;
    await imported.toEpochEnd();
    expect((await imported.validator(a!.address)).status).toBe(BondStatus.BOND_STATUS_BONDED);
  });

  it('starts a chain from genesis validators bonded with self-stake from genesis balances', async () => {
    const accts = await makeAccounts(2, 72);
    const k = consKey('gen');
    const gv = { operator_address: accts[0]!.address, consensus_pubkey: toBase64(k.pub), description: { moniker: 'genesis', website: '', details: '' }, commission: { rate_bp: '500', max_rate_bp: '1000', max_change_rate_bp: '100' }, self_stake: '50000' };
    const json = { params: TEST_STAKING_PARAMS, genesis_validators: [gv] };
    const set = genesisValidatorSet(validateStakingGenesis(json, 's'));
    expect(set.map((v) => v.power)).toEqual([50_000n]);
    const chain = await openStakingChain({ accounts: accts.map((a) => ({ address: a.address, amount: START })), genesisValidators: [gv], consensusValidators: set });
    chains.push(chain);
    const v = await chain.validator(accts[0]!.address);
    expect([v.status, v.tokens]).toEqual([BondStatus.BOND_STATUS_BONDED, '50000']);
    expect(await chain.balance(accts[0]!.address)).toBe(START - 50_000n);
    expect(await chain.modules.staking.keeper.getLastPower(await chain.view(), accts[0]!.address)).toBe(50_000n);
    // no update at the first epoch end: consensus started with this set
    const res = await chain.toEpochEnd({ votes: [{ address: k.address, signed: true }], proposer: k.address });
    expect(res.validatorUpdates).toEqual([]);
    const after = await chain.validator(accts[0]!.address);
    expect([after.blocksProposed, after.blocksSigned]).toEqual([4n, 4n]);
    // genesis validators and the exported form agree
    const exported = JSON.parse(await chain.exportJson()) as { staking: { genesis_validators: unknown[] } };
    expect(exported.staking.genesis_validators).toEqual([]);
  });

  it('refuses an inconsistent staking genesis, naming the path', () => {
    const base = { params: TEST_STAKING_PARAMS };
    const bad: [unknown, string][] = [
      [{ ...base, params: { ...TEST_STAKING_PARAMS, max_validators: '0' } }, 's.params.max_validators'],
      [{ ...base, params: { ...TEST_STAKING_PARAMS, community_tax: '10001' } }, 's.params.community_tax'],
      [{ ...base, params: { ...TEST_STAKING_PARAMS, min_stake: '1.5' } }, 's.params.min_stake'],
      [{ ...base, params: { ...TEST_STAKING_PARAMS, extra: '1' } }, 's.params.extra'],
      [{ ...base, next_id: '0' }, 's.next_id'],
      [{ ...base, genesis_validators: [{ operator_address: 'guts1bad' }] }, 's.genesis_validators[0].operator_address'],
      [{ ...base, last_powers: [{ operator_address: 'guts1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc5lzv7xu', power: '5' }] }, 's.last_powers[0].operator_address'],
    ];
    for (const [raw, path] of bad) {
      try {
        validateStakingGenesis(raw, 's');
        throw new Error(`accepted ${JSON.stringify(raw)}`);
      } catch (e) {
        expect(e, JSON.stringify(raw)).toBeInstanceOf(GenesisError);
        expect((e as GenesisError).path).toBe(path);
      }
    }
  });
});
