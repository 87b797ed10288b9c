import { afterEach, describe, expect, it } from 'vitest';
import { CheckTxType } from 'cosmjs-types/tendermint/abci/types';
import { moduleAddress } from '../../../app/chain/address.js';
import { ProposalStatus, type Proposal } from '../../../proto/gen/guts/gov/v1/gov.js';
import { MsgSubmitProposalResponse } from '../../../proto/gen/guts/gov/v1/tx.js';
import { TxMsgData } from 'cosmjs-types/cosmos/base/abci/v1beta1/abci';
import { removeDir, send, type TestAccount } from '../../helpers/chain.js';
import { FakeStaking, VoteOption, content, fillAccountNumbers, govAccounts, govChainGenesis, msg, openGovChain, testGovParams, type GovChain } from './harness.js';

const chains: GovChain[] = [];
afterEach(async () => {
  for (const c of chains.splice(0)) {
    await c.close().catch(() => undefined);
    removeDir(c.dir);
  }
});

/** Validators v0..v3 with 400/300/200/100 self-stake; d delegates 50 to v0 (bonded total 1050); x has no stake. */
async function setup(opts: Parameters<typeof govChainGenesis>[1] = {}) {
  const accts = await govAccounts(6);
  const [v0, v1, v2, v3, d, x] = accts as [TestAccount, TestAccount, TestAccount, TestAccount, TestAccount, TestAccount];
  const staking = new FakeStaking().addValidator(v0.address, 400n).addValidator(v1.address, 300n).addValidator(v2.address, 200n).addValidator(v3.address, 100n).delegate(d.address, v0.address, 50n);
  const chain = await openGovChain(govChainGenesis(accts, opts), staking);
  chains.push(chain);
  await fillAccountNumbers(chain, accts);
  return { chain, staking, v0, v1, v2, v3, d, x };
}

async function ok(chain: GovChain, txs: Uint8Array[]) {
  const res = await chain.block(txs);
  for (const r of res.txResults) expect(r.log).toBe('');
  return res;
}

async function propose(chain: GovChain, from: TestAccount, c: Parameters<typeof msg.submit>[1]): Promise<bigint> {
  const res = await ok(chain, [await chain.sign(from, [msg.submit(from.address, c)])]);
  return MsgSubmitProposalResponse.decode(TxMsgData.decode(res.txResults[0]!.data).msgResponses[0]!.value).proposalId;
}

async function proposal(chain: GovChain, id: bigint): Promise<Proposal> {
  const p = await chain.gov.keeper.getProposal({ store: await chain.store.readAt() }, id);
  if (!p) throw new Error(`no proposal ${id}`);
  return p;
}

async function balance(chain: GovChain, address: string): Promise<bigint> {
  return chain.modules.bank.keeper.getBalance({ store: await chain.store.readAt() }, address, 'ugut');
}

async function govParam(chain: GovChain, name: string): Promise<string> {
  const space = chain.gov.params!;
  return space.get({ store: await chain.store.readAt() } as never, name);
}

/** Yes from v0, v1 (700 of 1050 bonded): passes any non-emergency proposal. */
async function passVotes(chain: GovChain, id: bigint, ...voters: TestAccount[]) {
  await ok(chain, await Promise.all(voters.map((v) => chain.sign(v, [msg.vote(v.address, id, VoteOption.VOTE_OPTION_YES)]))));
}

describe('gov proposals on a chain', () => {
  it('refuses proposers that are not active validators or hold less than proposal_threshold', async () => {
    const { chain, x, v3 } = await setup({ gov: { params: testGovParams({ proposalThreshold: 150n }) } });
    const res = await chain.block([await chain.sign(x, [msg.submit(x.address, content.spend(x.address, 1n))]), await chain.sign(v3, [msg.submit(v3.address, content.spend(x.address, 1n))])]);
    expect(res.txResults.map((r) => [r.codespace, r.code])).toEqual([['gov', 6], ['gov', 7]]);
  });

  it('changes a parameter after the voting period and the execution delay', async () => {
    const { chain, v0, v1 } = await setup();
    const id = await propose(chain, v0, content.param('gov', 'quorum_bps', '3340', '4000'));
    expect(await balance(chain, moduleAddress('gov'))).toBe(1000n); // the deposit
    await passVotes(chain, id, v0, v1);
    const submitted = await proposal(chain, id);
    await chain.advanceTo(submitted.votingEndTime!.seconds - 1_790_000_000n);
    const queued = await proposal(chain, id);
    expect(queued.status).toBe(ProposalStatus.PROPOSAL_STATUS_QUEUED);
    expect(queued.finalTally).toMatchObject({ yes: '750', totalBonded: '1050' }); // v0's 450 includes d's delegation
    expect(await balance(chain, moduleAddress('gov'))).toBe(0n); // refunded
    expect(await govParam(chain, 'quorum_bps')).toBe('3340'); // still in the time-lock
    await chain.advanceTo(queued.executionTime!.seconds - 1_790_000_000n);
    expect((await proposal(chain, id)).status).toBe(ProposalStatus.PROPOSAL_STATUS_EXECUTED);
    expect(await govParam(chain, 'quorum_bps')).toBe('4000');
  });

  it('refuses a ParameterChange whose old value went stale, at submission and at execution', async () => {
    const { chain, v0, v1 } = await setup();
    const stale = await chain.block([await chain.sign(v0, [msg.submit(v0.address, content.param('gov', 'veto_bps', '3000', '4000'))])]);
    expect([stale.txResults[0]!.codespace, stale.txResults[0]!.code]).toEqual(['gov', 10]);
    const first = await propose(chain, v0, content.param('gov', 'veto_bps', '3340', '4000'));
    const second = await propose(chain, v1, content.param('gov', 'veto_bps', '3340', '5000'));
    await passVotes(chain, first, v0, v1);
    await passVotes(chain, second, v0, v1);
    await chain.advanceTo(40n);
    expect((await proposal(chain, first)).status).toBe(ProposalStatus.PROPOSAL_STATUS_EXECUTED);
    const failed = await proposal(chain, second);
    expect(failed.status).toBe(ProposalStatus.PROPOSAL_STATUS_FAILED);
    expect(failed.statusReason).toContain('parameter old value does not match');
    expect(await govParam(chain, 'veto_bps')).toBe('4000');
  });

  it('rejects without quorum and refunds; burns the deposit on NoWithVeto', async () => {
    const { chain, v0, v1, v2, v3 } = await setup();
    const lonely = await propose(chain, v0, content.spend(v0.address, 1n));
    await ok(chain, [await chain.sign(v3, [msg.vote(v3.address, lonely, VoteOption.VOTE_OPTION_YES)])]); // 100 of 1050
    const vetoed = await propose(chain, v0, content.spend(v0.address, 1n));
    // NoWithVeto 300 + 100 = 400 of 1050 cast: 38% ≥ 33.4%, although Yes (450) beats No (200)
    await ok(chain, [
      await chain.sign(v0, [msg.vote(v0.address, vetoed, VoteOption.VOTE_OPTION_YES)]),
      await chain.sign(v1, [msg.vote(v1.address, vetoed, VoteOption.VOTE_OPTION_NO_WITH_VETO)]),
      await chain.sign(v3, [msg.vote(v3.address, vetoed, VoteOption.VOTE_OPTION_NO_WITH_VETO)]),
      await chain.sign(v2, [msg.vote(v2.address, vetoed, VoteOption.VOTE_OPTION_NO)]),
    ]);
    const supply = await chain.modules.bank.keeper.getSupply({ store: await chain.store.readAt() }, 'ugut');
    await chain.advanceTo(20n);
    const a = await proposal(chain, lonely);
    expect(a.status).toBe(ProposalStatus.PROPOSAL_STATUS_REJECTED);
    expect(a.statusReason).toContain('quorum not reached');
    const b = await proposal(chain, vetoed);
    expect(b.status).toBe(ProposalStatus.PROPOSAL_STATUS_REJECTED);
    expect(b.statusReason).toContain('vetoed');
    expect(await balance(chain, moduleAddress('gov'))).toBe(0n);
    expect(await chain.modules.bank.keeper.getSupply({ store: await chain.store.readAt() }, 'ugut')).toBe(supply - 1000n);
  });

  it('lets a delegator override its validator', async () => {
    const { chain, v0, v1, v2, d } = await setup();
    const id = await propose(chain, v0, content.spend(v0.address, 1n));
    // v0 (450 with d's 50) and v2 (200) say yes, v1 (300) no: 650 vs 300. d moves its 50 to no: 600 vs 350.
    await ok(chain, [
      await chain.sign(v0, [msg.vote(v0.address, id, VoteOption.VOTE_OPTION_YES)]),
      await chain.sign(v1, [msg.vote(v1.address, id, VoteOption.VOTE_OPTION_NO)]),
      await chain.sign(v2, [msg.vote(v2.address, id, VoteOption.VOTE_OPTION_YES)]),
      await chain.sign(d, [msg.vote(d.address, id, VoteOption.VOTE_OPTION_NO)]),
    ]);
    await chain.advanceTo(12n);
    expect((await proposal(chain, id)).finalTally).toMatchObject({ yes: '600', no: '350', abstain: '0', noWithVeto: '0' });
  });

  it('refuses votes from accounts without bonded stake, and after the voting period', async () => {
    const { chain, v0, x } = await setup();
    const id = await propose(chain, v0, content.spend(v0.address, 1n));
    const res = await chain.block([await chain.sign(x, [msg.vote(x.address, id, VoteOption.VOTE_OPTION_YES)])]);
    expect([res.txResults[0]!.codespace, res.txResults[0]!.code]).toEqual(['gov', 8]);
    await chain.advanceTo(15n);
    const late = await chain.block([await chain.sign(v0, [msg.vote(v0.address, id, VoteOption.VOTE_OPTION_YES)])]);
    expect([late.txResults[0]!.codespace, late.txResults[0]!.code]).toEqual(['gov', 3]);
  });

  it('pays a TreasurySpend of exactly the amount from the community pool', async () => {
    const { chain, v0, v1, x } = await setup({ treasury: 1_000_000n });
    const id = await propose(chain, v0, content.spend(x.address, 123_456n));
    await passVotes(chain, id, v0, v1);
    const before = await balance(chain, x.address);
    const supply = await chain.modules.bank.keeper.getSupply({ store: await chain.store.readAt() }, 'ugut');
    await chain.advanceTo(20n);
    expect((await proposal(chain, id)).status).toBe(ProposalStatus.PROPOSAL_STATUS_EXECUTED);
    expect(await balance(chain, x.address)).toBe(before + 123_456n);
    expect(await balance(chain, moduleAddress('treasury'))).toBe(1_000_000n - 123_456n);
    expect(await chain.modules.bank.keeper.getSupply({ store: await chain.store.readAt() }, 'ugut')).toBe(supply);
  });

  it('marks a TreasurySpend larger than the pool as failed and moves nothing', async () => {
    const { chain, v0, v1, x } = await setup({ treasury: 100n });
    const id = await propose(chain, v0, content.spend(x.address, 101n));
    await passVotes(chain, id, v0, v1);
    const before = await balance(chain, x.address);
    await chain.advanceTo(20n);
    const p = await proposal(chain, id);
    expect(p.status).toBe(ProposalStatus.PROPOSAL_STATUS_FAILED);
    expect(p.statusReason).toContain('insufficient funds');
    expect(await balance(chain, x.address)).toBe(before);
    expect(await balance(chain, moduleAddress('treasury'))).toBe(100n);
  });
});

describe('gov time-lock veto', () => {
  it('cancels a passed proposal once vetoing validators hold a third of the bonded stake', async () => {
    const { chain, v0, v1, v2, v3, x } = await setup({ treasury: 1_000n });
    const id = await propose(chain, v0, content.spend(x.address, 500n));
    await passVotes(chain, id, v0, v1);
    await chain.advanceTo(12n);
    expect((await proposal(chain, id)).status).toBe(ProposalStatus.PROPOSAL_STATUS_QUEUED);
    // 200 + 100 = 300 of 1050 < 1/3: still queued
    await ok(chain, [await chain.sign(v2, [msg.veto(v2.address, id)]), await chain.sign(v3, [msg.veto(v3.address, id)])]);
    expect((await proposal(chain, id)).status).toBe(ProposalStatus.PROPOSAL_STATUS_QUEUED);
    const again = await chain.block([await chain.sign(v3, [msg.veto(v3.address, id)])]);
    expect([again.txResults[0]!.codespace, again.txResults[0]!.code]).toEqual(['gov', 14]);
    // + v1's 300 = 600 ≥ 1/3 of 1050
    await ok(chain, [await chain.sign(v1, [msg.veto(v1.address, id)])]);
    const p = await proposal(chain, id);
    expect(p.status).toBe(ProposalStatus.PROPOSAL_STATUS_VETOED);
    await chain.advanceTo(30n);
    expect((await proposal(chain, id)).status).toBe(ProposalStatus.PROPOSAL_STATUS_VETOED);
    expect(await balance(chain, moduleAddress('treasury'))).toBe(1_000n);
  });

  it('refuses a veto from a non-validator and outside the time-lock', async () => {
    const { chain, v0, v1, d } = await setup();
    const id = await propose(chain, v0, content.spend(v0.address, 1n));
    const early = await chain.block([await chain.sign(v1, [msg.veto(v1.address, id)])]);
    expect([early.txResults[0]!.codespace, early.txResults[0]!.code]).toEqual(['gov', 9]);
    await passVotes(chain, id, v0, v1);
    await chain.advanceTo(12n);
    const byDelegator = await chain.block([await chain.sign(d, [msg.veto(d.address, id)])]);
    expect([byDelegator.txResults[0]!.codespace, byDelegator.txResults[0]!.code]).toEqual(['gov', 6]);
  });
});

describe('gov Emergency proposals', () => {
  it('pauses a module’s messages in CheckTx and DeliverTx until a resume proposal passes, with no delay', async () => {
    const { chain, v0, v1, v2, x } = await setup();
    const id = await propose(chain, v0, content.pause('bank'));
    // 2/3 approval: v0 (450) + v1 (300) = 750 of 950 voting is above 66.67%
    await ok(chain, [
      await chain.sign(v0, [msg.vote(v0.address, id, VoteOption.VOTE_OPTION_YES)]),
      await chain.sign(v1, [msg.vote(v1.address, id, VoteOption.VOTE_OPTION_YES)]),
      await chain.sign(v2, [msg.vote(v2.address, id, VoteOption.VOTE_OPTION_NO)]),
    ]);
    const p = await proposal(chain, id);
    expect(p.votingEndTime!.seconds - p.submitTime!.seconds).toBe(3n);
    await chain.advanceTo(p.votingEndTime!.seconds - 1_790_000_000n);
    expect((await proposal(chain, id)).status).toBe(ProposalStatus.PROPOSAL_STATUS_EXECUTED);

    const transfer = await chain.sign(x, [send(x.address, v0.address, 5n)]);
    const check = await chain.app.checkTx(transfer, CheckTxType.NEW);
    expect([check.codespace, check.code]).toEqual(['gov', 12]);
    expect(check.log).toContain('module bank was paused by proposal');
    const deliver = await chain.block([transfer]);
    expect([deliver.txResults[0]!.codespace, deliver.txResults[0]!.code]).toEqual(['gov', 12]);

    const resume = await propose(chain, v1, content.resume('bank'));
    await passVotes(chain, resume, v0, v1);
    await chain.advanceTo(30n);
    expect((await proposal(chain, resume)).status).toBe(ProposalStatus.PROPOSAL_STATUS_EXECUTED);
    const after = await chain.sign(x, [send(x.address, v0.address, 5n)]);
    expect((await chain.app.checkTx(after, CheckTxType.NEW)).code).toBe(0);
    expect((await chain.block([after])).txResults[0]!.code).toBe(0);
  });

  it('needs two thirds: 60% Yes does not pause', async () => {
    const { chain, v0, v1, v2, v3 } = await setup();
    const id = await propose(chain, v0, content.pause('bank'));
    // yes 450 + 100 = 550, no 300 + 200 = 500 → 52%
    await ok(chain, [
      await chain.sign(v0, [msg.vote(v0.address, id, VoteOption.VOTE_OPTION_YES)]),
      await chain.sign(v3, [msg.vote(v3.address, id, VoteOption.VOTE_OPTION_YES)]),
      await chain.sign(v1, [msg.vote(v1.address, id, VoteOption.VOTE_OPTION_NO)]),
      await chain.sign(v2, [msg.vote(v2.address, id, VoteOption.VOTE_OPTION_NO)]),
    ]);
    await chain.advanceTo(10n);
    expect((await proposal(chain, id)).status).toBe(ProposalStatus.PROPOSAL_STATUS_REJECTED);
  });

  it('jails a validator and refuses to pause gov itself', async () => {
    const { chain, staking, v0, v1, v3 } = await setup();
    const refused = await chain.block([await chain.sign(v0, [msg.submit(v0.address, content.pause('gov'))])]);
    expect([refused.txResults[0]!.codespace, refused.txResults[0]!.code]).toEqual(['gov', 17]);
    const id = await propose(chain, v0, content.jail(v3.address));
    await passVotes(chain, id, v0, v1);
    await chain.advanceTo(10n);
    expect((await proposal(chain, id)).status).toBe(ProposalStatus.PROPOSAL_STATUS_EXECUTED);
    expect(staking.jailed.has(v3.address)).toBe(true);
  });
});
