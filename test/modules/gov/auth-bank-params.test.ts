/**
 * auth and bank parameters are governable: ParameterChange proposals through the real app
 * change what the ante handler charges and whether MsgSend runs; invalid values and
 * unknown names are refused with the module's registered codes.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ProposalStatus, VoteOption } from '../../../proto/gen/guts/gov/v1/gov.js';
import { bondValidator, gutsGenesis, makeAccounts, openGutsChain, type GutsChain, type TestAccount } from '../sybil/chain.js';

const chains: GutsChain[] = [];
afterEach(async () => {
  for (const c of chains.splice(0)) await c.close();
});

async function setup() {
  const [v, user] = (await makeAccounts(2, 55)) as [TestAccount, TestAccount];
  const genesis = gutsGenesis({
    accounts: [{ address: v.address, amount: 10_000_000_000n }, { address: user.address, amount: 10_000_000n }],
    state: { gov: (g) => Object.assign(g.params, { voting_period: '5', emergency_voting_period: '3', execution_delay: '3', proposal_threshold: '1000', min_deposit: '' }) },
  });
  const chain = await openGutsChain(genesis, [v, user]);
  chains.push(chain);
  await bondValidator(chain, v, 1_000_000n);
  return { chain, v, user };
}

/** Submit, vote yes and run blocks past the voting period and the time-lock; returns the final status. */
async function passParam(chain: GutsChain, v: TestAccount, module: string, parameter: string, oldValue: string, newValue: string) {
  const submit = await chain.block([
    await chain.sign(v, [{ typeUrl: '/guts.gov.v1.MsgSubmitProposal', value: { proposer: v.address, title: `${module}.${parameter}`, description: '', content: { parameterChange: { module, parameter, oldValue, newValue } } } }]),
  ]);
  const r = submit.txResults[0]!;
  if (r.code !== 0) return { code: r.code, codespace: r.codespace, log: r.log };
  const id = (await chain.modules.gov.keeper.getProposal(await chain.read(), 1n)) ? await lastId(chain) : 1n;
  await chain.block([await chain.sign(v, [{ typeUrl: '/guts.gov.v1.MsgVote', value: { proposalId: id, voter: v.address, option: VoteOption.VOTE_OPTION_YES } }])]);
  for (let i = 0; i < 12; i++) await chain.block([]);
  return { code: 0, status: (await chain.modules.gov.keeper.getProposal(await chain.read(), id))?.status };
}

async function lastId(chain: GutsChain): Promise<bigint> {
  let id = 1n;
  while (await chain.modules.gov.keeper.getProposal(await chain.read(), id + 1n)) id += 1n;
  return id;
}

const send = (from: string, to: string) => ({ typeUrl: '/cosmos.bank.v1beta1.MsgSend', value: { fromAddress: from, toAddress: to, amount: [{ denom: 'ugut', amount: '1' }] } });

describe('auth and bank ParamSpaces', () => {
  it('turns sends off by proposal: MsgSend then fails with bank/5', async () => {
    const { chain, v, user } = await setup();
    expect((await chain.block([await chain.sign(user, [send(user.address, v.address)])])).txResults[0]!.code).toBe(0);
    expect(await passParam(chain, v, 'bank', 'default_send_enabled', 'true', 'false')).toEqual({ code: 0, status: ProposalStatus.PROPOSAL_STATUS_EXECUTED });
    const refused = (await chain.block([await chain.sign(user, [send(user.address, v.address)])])).txResults[0]!;
    expect([refused.codespace, refused.code]).toEqual(['bank', 5]);
  });

  it('raises tx_size_cost_per_byte by proposal: the same tx then costs more gas', async () => {
    const { chain, v, user } = await setup();
    const tx = await chain.sign(user, [send(user.address, v.address)]);
    user.sequence -= 1n;
    const before = (await chain.app.simulate(tx)).gasUsed;
    expect(await passParam(chain, v, 'auth', 'tx_size_cost_per_byte', '10', '20')).toEqual({ code: 0, status: ProposalStatus.PROPOSAL_STATUS_EXECUTED });
    const after = (await chain.app.simulate(tx)).gasUsed;
    // the size charge is cost × (tx bytes + simulated signature bytes): raising the cost by 10 adds 10 × that size
    expect((after - before) % 10n).toBe(0n);
    expect(after - before >= 10n * BigInt(tx.length)).toBe(true);
    expect((await chain.modules.auth.keeper.getParams(await chain.read())).txSizeCostPerByte).toBe(20n);
  });

  it('refuses out-of-range values (module codes) and unknown names (gov/11) at submission', async () => {
    const { chain, v } = await setup();
    for (const [module, parameter, oldValue, newValue, codespace, code] of [
      ['auth', 'tx_sig_limit', '7', '0', 'auth', 3],
      ['auth', 'tx_sig_limit', '7', '1000', 'auth', 3],
      ['auth', 'max_memo_characters', '256', '1e3', 'auth', 3],
      ['auth', 'sig_verify_cost_secp256k1', '1000', '99999999999', 'auth', 3],
      ['auth', 'nonsense', '1', '2', 'gov', 11],
      ['bank', 'default_send_enabled', 'true', 'maybe', 'bank', 11],
      ['bank', 'send_enabled', 'true', 'false', 'gov', 11],
    ] as const) {
      const r = await passParam(chain, v, module, parameter, oldValue, newValue);
      expect([parameter, newValue, r.codespace, r.code]).toEqual([parameter, newValue, codespace, code]);
    }
    expect((await chain.modules.auth.keeper.getParams(await chain.read())).txSigLimit).toBe(7n);
  });
});
