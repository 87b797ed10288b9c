/**
 * The sybil gate on the `validator` and `governance` actions through the real app:
 * MsgCreateValidator pays with the self-stake it offers (plus stake already bonded),
 * MsgSubmitProposal with the proposer's bonded stake; refused in CheckTx (never enters
 * the mempool) and in the block with sybil/2, and nothing changes.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ed25519 } from '@noble/curves/ed25519.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { createMempool } from '../../../app/consensus/mempool.js';
import { bondValidator, gutsGenesis, makeAccounts, openGutsChain, type GutsChain, type TestAccount } from './chain.js';

const chains: GutsChain[] = [];
afterEach(async () => {
  for (const c of chains.splice(0)) await c.close();
});

const STAKE_VALIDATOR = 1_000_000n;
const STAKE_GOVERNANCE = 300_000n;

async function setup() {
  const accts = (await makeAccounts(3, 91)) as [TestAccount, TestAccount, TestAccount];
  const genesis = gutsGenesis({
    accounts: accts.map((a) => ({ address: a.address, amount: 100_000_000n })),
    state: {
      sybil: (s) => Object.assign(s.params, { stake_validator: String(STAKE_VALIDATOR), stake_governance: String(STAKE_GOVERNANCE), discount_per_epoch_bp: '0', discount_per_action_bp: '0' }),
      gov: (g) => Object.assign(g.params, { proposal_threshold: '1000', min_deposit: '1000ugut' }),
    },
  });
  const chain = await openGutsChain(genesis, accts);
  chains.push(chain);
  return { chain, accts };
}

const createValidator = (acct: TestAccount, selfStake: bigint) => ({
  typeUrl: '/guts.staking.v1.MsgCreateValidator',
  value: {
    operatorAddress: acct.address,
    pubkey: ed25519.getPublicKey(sha256(new TextEncoder().encode(`core-gates-${acct.address}`))),
    moniker: 'gated',
    website: '',
    details: '',
    commission: { rateBp: 1000, maxRateBp: 2000, maxChangeRateBp: 100 },
    selfStake: { denom: 'ugut', amount: selfStake.toString() },
  },
});

const proposal = (proposer: string) => ({
  typeUrl: '/guts.gov.v1.MsgSubmitProposal',
  value: { proposer, title: 'raise max validators', description: '', content: { parameterChange: { module: 'staking', parameter: 'max_validators', oldValue: '100', newValue: '120' } } },
});

describe('sybil gate on validator creation', () => {
  it('refuses a self-stake below stake_validator in CheckTx and in the block, and creates nothing', async () => {
    const { chain, accts } = await setup();
    const [a] = accts;
    const mempool = createMempool({ app: chain.app });
    const tx = await chain.sign(a, [createValidator(a, STAKE_VALIDATOR - 1n)]);
    const r = await mempool.add(tx);
    expect([r.codespace, r.code]).toEqual(['sybil', 2]);
    expect(r.log).toContain(`validator needs ${STAKE_VALIDATOR} staked`);
    expect(mempool.size()).toBe(0);
    const res = await chain.block([tx]);
    expect([res.txResults[0]!.codespace, res.txResults[0]!.code]).toEqual(['sybil', 2]);
    expect(await chain.modules.staking.keeper.getValidator(await chain.read(), a.address)).toBeUndefined();
  });

  it('counts the offered self-stake: a first validator with stake_validator of self-stake is created and bonded', async () => {
    const { chain, accts } = await setup();
    const [a] = accts;
    const tx = await chain.sign(a, [createValidator(a, STAKE_VALIDATOR)]);
    expect((await chain.check(tx)).code).toBe(0);
    const res = await chain.block([tx]);
    expect(res.txResults[0]!.code, res.txResults[0]!.log).toBe(0);
    await chain.block([]);
    expect(await chain.modules.staking.api.stakeOf(await chain.read(), a.address)).toBe(STAKE_VALIDATOR);
  });
});

describe('sybil gate on proposal submission', () => {
  it('refuses a bonded validator whose stake is below stake_governance, then accepts it once it holds enough', async () => {
    const { chain, accts } = await setup();
    const [, b] = accts;
    // b becomes a validator with 200000 bonded: enough for gov's proposal_threshold (1000), not for the gate
    await chain.block([await chain.sign(b, [createValidator(b, STAKE_VALIDATOR)])]);
    await chain.block([]);
    const mempool = createMempool({ app: chain.app });
    const unstake = { typeUrl: '/guts.staking.v1.MsgUnstake', value: { delegatorAddress: b.address, validatorAddress: b.address, amount: { denom: 'ugut', amount: String(STAKE_VALIDATOR - 200_000n) } } };
    const u = await chain.block([await chain.sign(b, [unstake])]);
    expect(u.txResults[0]!.code, u.txResults[0]!.log).toBe(0);
    await chain.block([]);
    expect(await chain.modules.staking.api.stakeOf(await chain.read(), b.address)).toBe(200_000n);

    const refused = await chain.sign(b, [proposal(b.address)]);
    const r = await mempool.add(refused);
    expect([r.codespace, r.code]).toEqual(['sybil', 2]);
    expect(r.log).toContain(`governance needs ${STAKE_GOVERNANCE} staked`);
    const res = await chain.block([refused]);
    expect([res.txResults[0]!.codespace, res.txResults[0]!.code]).toEqual(['sybil', 2]);
    expect(await chain.modules.gov.keeper.getProposal(await chain.read(), 1n)).toBeUndefined();

    // stake back up (delegation from a): the same identity now passes the gate
    const stake = { typeUrl: '/guts.staking.v1.MsgStake', value: { delegatorAddress: b.address, validatorAddress: b.address, amount: { denom: 'ugut', amount: '150000' } } };
    expect((await chain.block([await chain.sign(b, [stake])])).txResults[0]!.code).toBe(0);
    await chain.block([]);
    const ok = await chain.block([await chain.sign(b, [proposal(b.address)])]);
    expect(ok.txResults[0]!.code, ok.txResults[0]!.log).toBe(0);
    expect((await chain.modules.gov.keeper.getProposal(await chain.read(), 1n))?.proposer).toBe(b.address);
  });

  it('gates any proposer, validator or not, before gov’s own checks', async () => {
    const { chain, accts } = await setup();
    const [a, , c] = accts;
    await bondValidator(chain, a, STAKE_VALIDATOR);
    // c holds coins but no stake: the gate answers first
    const res = await chain.block([await chain.sign(c, [proposal(c.address)])]);
    expect([res.txResults[0]!.codespace, res.txResults[0]!.code]).toEqual(['sybil', 2]);
    // a has bonded stake ≥ stake_governance: the gate passes and gov accepts the active validator
    const ok = await chain.block([await chain.sign(a, [proposal(a.address)])]);
    expect(ok.txResults[0]!.code, ok.txResults[0]!.log).toBe(0);
  });
});
