/**
 * The sybil gate through the real app: stake or proof of work for repo creation, refused
 * in CheckTx (so it never reaches the mempool) and in the block, with coded errors.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { leadingZeroBits, powChallenge, powHash, solvePow, type PowAction } from '../../../sdk/pow.js';
import { createMempool } from '../../../app/consensus/mempool.js';
import { QueryCanPerformRequest, QueryCanPerformResponse, QueryPowChallengeRequest, QueryPowChallengeResponse } from '../../../proto/gen/guts/sybil/v1/query.js';
import { Action } from '../../../proto/gen/guts/sybil/v1/sybil.js';
import { MisbehaviorType } from 'cosmjs-types/tendermint/abci/types';
import { bondValidator, consAddressOf, gutsGenesis, makeAccounts, openGutsChain, type GutsChain } from './chain.js';

const chains: GutsChain[] = [];
afterEach(async () => {
  for (const c of chains.splice(0)) await c.close();
});

const RICH = 1_000_000_000n;
const POOR = 1_000n;
const BITS = 10;
const STAKE_CREATE_REPO = 5_000n;

async function setup(params: Record<string, string> = {}) {
  const [rich, poor, other] = await makeAccounts(3, 41);
  const genesis = gutsGenesis({
    accounts: [
      { address: rich!.address, amount: RICH },
      { address: poor!.address, amount: POOR },
      { address: other!.address, amount: POOR },
    ],
    state: {
      sybil: (s) =>
        Object.assign(s.params, { stake_create_repo: String(STAKE_CREATE_REPO), pow_bits_create_repo: String(BITS), pow_bits_push: '8', pow_bits_collaboration: '9', pow_window: '5' }, params),
    },
  });
  const chain = await openGutsChain(genesis, [rich!, poor!, other!]);
  chains.push(chain);
  await chain.block([]); // height 1: the first block hash challenges can bind
  return { chain, rich: rich!, poor: poor!, other: other! };
}

const createRepo = (owner: string, name: string, pow?: { nonce: bigint; blockHeight: bigint }) => ({
  typeUrl: '/guts.repo.v1.MsgCreateRepo',
  value: { owner, name, pow },
});

async function solveFor(chain: GutsChain, signer: string, action: PowAction, height: number, bits = BITS) {
  const challenge = powChallenge({ chainId: chain.chainId, signer, action, blockHash: chain.hashOf(height) });
  const { nonce } = await solvePow({ challenge, bits });
  return { nonce, blockHeight: BigInt(height) };
}

async function repoExists(chain: GutsChain, key: string): Promise<boolean> {
  return (await chain.modules.repo.keeper.getRepo(await chain.read(), key)) !== undefined;
}

describe('sybil stake gate', () => {
  it('lets an identity with enough bonded stake create a repo and counts the action', async () => {
    const { chain, rich } = await setup();
    await bondValidator(chain, rich, STAKE_CREATE_REPO); // first seen at height 2, bonded at the epoch end
    const tx = await chain.sign(rich, [createRepo(rich.address, 'alpha')]);
    expect((await chain.check(tx)).code).toBe(0);
    const res = await chain.block([tx]);
    expect(res.txResults[0]!.code, res.txResults[0]!.log).toBe(0);
    expect(await repoExists(chain, `${rich.address}/alpha`)).toBe(true);
    const rep = await chain.modules.sybil.keeper.getReputation(await chain.read(), rich.address);
    // two gated actions: creating its validator (`validator`) and the repo (`create_repo`)
    expect(rep).toEqual({ firstSeenHeight: 2n, successfulActions: 2n, slashes: 0n });
    // a large balance is not stake
    const [unbonded] = await makeAccounts(1, 42);
    expect((await chain.modules.bank.keeper.getBalance(await chain.read(), rich.address, 'ugut')) > STAKE_CREATE_REPO).toBe(true);
    expect((await chain.modules.sybil.keeper.canPerform(await chain.read(), unbonded!.address, 'create_repo')).allowed).toBe(false);
  });

  it('refuses an unpaid creation in CheckTx, so it never enters the mempool, and again in the block', async () => {
    const { chain, poor } = await setup();
    const mempool = createMempool({ app: chain.app });
    const tx = await chain.sign(poor, [createRepo(poor.address, 'spam')]);
    const r = await mempool.add(tx);
    expect([r.codespace, r.code]).toEqual(['sybil', 2]);
    expect(r.log).toContain(`needs ${STAKE_CREATE_REPO} staked`);
    expect(r.log).toContain(`proof of work of ${BITS} bits`);
    expect(mempool.size()).toBe(0);
    const res = await chain.block([tx]);
    expect([res.txResults[0]!.codespace, res.txResults[0]!.code]).toEqual(['sybil', 2]);
    expect(await repoExists(chain, `${poor.address}/spam`)).toBe(false);
  });
});

describe('sybil proof of work', () => {
  it('accepts a valid solution instead of stake, once', async () => {
    const { chain, poor } = await setup();
    const pow = await solveFor(chain, poor.address, 'create_repo', 1);
    const tx = await chain.sign(poor, [createRepo(poor.address, 'worked', pow)]);
    expect((await chain.check(tx)).code).toBe(0);
    // the same solution in a second tx is refused already in CheckTx (spent in the check state)
    const replay = await chain.sign(poor, [createRepo(poor.address, 'again', pow)]);
    const rc = await chain.check(replay);
    expect([rc.codespace, rc.code]).toEqual(['sybil', 6]);
    const res = await chain.block([tx, replay]);
    expect(res.txResults.map((t) => [t.codespace, t.code])).toEqual([['', 0], ['sybil', 6]]);
    expect(res.txResults[0]!.events.find((e) => e.type === 'sybil_pow')?.attributes.find((a) => a.key === 'action')?.value).toBe('create_repo');
    expect(await repoExists(chain, `${poor.address}/worked`)).toBe(true);
    expect(await repoExists(chain, `${poor.address}/again`)).toBe(false);
    // and in a later block
    const later = await chain.sign(poor, [createRepo(poor.address, 'later', pow)]);
    expect((await chain.block([later])).txResults[0]!.code).toBe(6);
  });

  it('refuses too few bits (sybil/5)', async () => {
    const { chain, poor } = await setup();
    const challenge = powChallenge({ chainId: chain.chainId, signer: poor.address, action: 'create_repo', blockHash: chain.hashOf(1) });
    let nonce = 0n;
    while (leadingZeroBits(powHash(challenge, nonce)) >= BITS) nonce++;
    const tx = await chain.sign(poor, [createRepo(poor.address, 'weak', { nonce, blockHeight: 1n })]);
    const r = await chain.check(tx);
    expect([r.codespace, r.code]).toEqual(['sybil', 5]);
    expect(r.log).toContain(`${BITS} needed`);
  });

  it('refuses work done for another challenge: other action, other signer, other chain, other block (sybil/5)', async () => {
    const { chain, poor, other } = await setup();
    await chain.block([]);
    const wrong = [
      await solveFor(chain, poor.address, 'push', 1, BITS + 4), // another action
      await solveFor(chain, other.address, 'create_repo', 1, BITS + 4), // another signer
      { ...(await solveFor(chain, poor.address, 'create_repo', 2, BITS + 4)), blockHeight: 1n }, // another block's hash
    ];
    const foreign = powChallenge({ chainId: 'other-chain', signer: poor.address, action: 'create_repo', blockHash: chain.hashOf(1) });
    wrong.push({ nonce: (await solvePow({ challenge: foreign, bits: BITS + 4 })).nonce, blockHeight: 1n });
    for (const [i, pow] of wrong.entries()) {
      const r = await chain.check(await chain.sign(poor, [createRepo(poor.address, `wrong${i}`, pow)]));
      poor.sequence -= 1n; // refused in CheckTx: the sequence did not move
      expect([r.codespace, r.code], `case ${i}`).toEqual(['sybil', 5]);
    }
  });

  it('refuses a block hash older than pow_window blocks, unknown or in the future (sybil/4)', async () => {
    const { chain, poor } = await setup();
    const pow = await solveFor(chain, poor.address, 'create_repo', 1);
    for (let i = 0; i < 5; i++) await chain.block([]); // height 6: block 1 is 5 back, the last one a tx at 7 cannot use
    const r = await chain.check(await chain.sign(poor, [createRepo(poor.address, 'late', pow)]));
    poor.sequence -= 1n;
    expect([r.codespace, r.code]).toEqual(['sybil', 4]);
    for (const blockHeight of [0n, 99n]) {
      const bad = await chain.check(await chain.sign(poor, [createRepo(poor.address, 'x', { nonce: 1n, blockHeight })]));
      poor.sequence -= 1n;
      expect(bad.code).toBe(4);
    }
    // block 1's hash is pruned once no block can use it any more
    expect(await chain.modules.sybil.keeper.blockHash(await chain.read(), 1n)).toBeDefined();
    await chain.block([]);
    expect(await chain.modules.sybil.keeper.blockHash(await chain.read(), 1n)).toBeUndefined();
    // a fresh challenge from the query works
    const q = await chain.app.query({ path: '/guts.sybil.v1.Query/PowChallenge', data: QueryPowChallengeRequest.encode({ address: poor.address, action: Action.ACTION_CREATE_REPO }).finish(), height: 0n, prove: false });
    expect(q.code, q.log).toBe(0);
    const c = QueryPowChallengeResponse.decode(q.value);
    expect(c.blockHeight).toBe(7n);
    expect(c.bits).toBe(BITS);
    expect(c.expiresAfterHeight).toBe(12n);
    const { nonce } = await solvePow({ challenge: c.challenge, bits: c.bits });
    const ok = await chain.block([await chain.sign(poor, [createRepo(poor.address, 'fresh', { nonce, blockHeight: c.blockHeight })])]);
    expect(ok.txResults[0]!.code, ok.txResults[0]!.log).toBe(0);
  });

  it('refuses work for an action whose pow_bits is 0 (sybil/3)', async () => {
    const { chain, poor } = await setup({ pow_bits_create_repo: '0' });
    const pow = await solveFor(chain, poor.address, 'create_repo', 1, 4);
    const r = await chain.check(await chain.sign(poor, [createRepo(poor.address, 'nope', pow)]));
    expect([r.codespace, r.code]).toEqual(['sybil', 3]);
  });
});

describe('reputation discount', () => {
  it('lowers the stake needed with account age, up to half', async () => {
    // 600 bonded of 1000 needed; 2500 bp per 2-block epoch reaches the 50% cap after two epochs
    const { chain, poor } = await setup({ stake_create_repo: '1000', epoch_length: '2', discount_per_epoch_bp: '2500', discount_per_action_bp: '0' });
    const canPerform = async () => {
      const q = await chain.app.query({ path: '/guts.sybil.v1.Query/CanPerform', data: QueryCanPerformRequest.encode({ address: poor.address, action: Action.ACTION_CREATE_REPO, repo: '' }).finish(), height: 0n, prove: false });
      expect(q.code, q.log).toBe(0);
      return QueryCanPerformResponse.decode(q.value);
    };
    await bondValidator(chain, poor, 600n); // first seen at height 2, when its validator is created
    expect(chain.height()).toBe(2); // bonded at the epoch end of block 2
    expect(await canPerform()).toMatchObject({ allowed: false, requiredStake: '1000', stake: '600', discountBp: 0 });
    const early = await chain.block([await chain.sign(poor, [createRepo(poor.address, 'early')])]);
    expect(early.txResults[0]!.code).toBe(2);
    await chain.block([]);
    expect(await canPerform()).toMatchObject({ allowed: false, requiredStake: '750', discountBp: 2500 });
    for (let i = 0; i < 2; i++) await chain.block([]);
    expect(await canPerform()).toMatchObject({ allowed: true, requiredStake: '500', stake: '600', discountBp: 5000 });
    for (let i = 0; i < 10; i++) await chain.block([]);
    expect((await canPerform()).discountBp).toBe(5000); // capped
    const res = await chain.block([await chain.sign(poor, [createRepo(poor.address, 'aged')])]);
    expect(res.txResults[0]!.code, res.txResults[0]!.log).toBe(0);
  });

  it('loses slash_penalty_bp per slash of the identity’s validator (double sign evidence)', async () => {
    const { chain, rich } = await setup({ epoch_length: '2', discount_per_epoch_bp: '2500', discount_per_action_bp: '0', slash_penalty_bp: '3000' });
    await bondValidator(chain, rich, 10_000n);
    for (let i = 0; i < 4; i++) await chain.block([]);
    const discount = async () => chain.modules.sybil.keeper.discountOf(await chain.read(), rich.address);
    expect(await discount()).toBe(5000);
    const evidence = { type: MisbehaviorType.DUPLICATE_VOTE, validator: { address: consAddressOf(rich), power: 10_000n }, height: BigInt(chain.height()), time: { seconds: chain.time(), nanos: 0 }, totalVotingPower: 10_000n };
    await chain.block([], { misbehavior: [evidence] });
    expect((await chain.modules.sybil.keeper.getReputation(await chain.read(), rich.address))?.slashes).toBe(1n);
    expect(await discount()).toBe(2000); // 2 epochs × 2500 earned, less 3000 for the slash
  });
});
