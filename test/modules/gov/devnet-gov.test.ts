/**
 * The genesis `guts devnet` writes, run by the real app over LevelDB: the dev account
 * operates the bonded validator, so its key can submit a ParameterChange proposal, vote it
 * through and see the parameter change after the time-lock (devnet's short gov periods).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DirectSecp256k1Wallet } from '@cosmjs/proto-signing';
import { DEVNET_FUNDS, DEVNET_GOV_PERIODS, DEVNET_SELF_STAKE, prepareDevnet } from '../../../app/node/devnet.js';
import { deriveFromMnemonic, hdPath } from '../../../app/keyring/derive.js';
import { ProposalStatus, VoteOption } from '../../../proto/gen/guts/gov/v1/gov.js';
import { BondStatus } from '../../../proto/gen/guts/staking/v1/staking.js';
import { openGutsChain, type GutsChain, type TestAccount } from '../sybil/chain.js';

let home: string;
let chain: GutsChain;
let dev: TestAccount;

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'guts-devnet-gov-'));
  const { address, mnemonic } = await prepareDevnet(home);
  const key = deriveFromMnemonic(mnemonic, hdPath(0, 0));
  dev = { address, privkey: key.privkey, pubkey: key.pubkey, wallet: await DirectSecp256k1Wallet.fromKey(key.privkey, 'guts'), accountNumber: 0n, sequence: 0n };
  chain = await openGutsChain(JSON.parse(readFileSync(join(home, 'config', 'genesis.json'), 'utf8')), [dev]);
});

afterAll(async () => {
  await chain?.close();
  rmSync(home, { recursive: true, force: true });
});

describe('devnet genesis', () => {
  it('makes the dev account the operator of the only, bonded validator, with its funds still spendable', async () => {
    const genesis = JSON.parse(readFileSync(join(home, 'config', 'genesis.json'), 'utf8'));
    expect(genesis.validators).toHaveLength(1);
    expect(genesis.validators[0].power).toBe(DEVNET_SELF_STAKE.toString());
    const read = await chain.read();
    const v = await chain.modules.staking.keeper.getValidator(read, dev.address);
    expect(v?.status).toBe(BondStatus.BOND_STATUS_BONDED);
    expect(Buffer.from(v!.consensusPubkey).toString('base64')).toBe(genesis.validators[0].pub_key.value);
    expect(await chain.modules.bank.keeper.getBalance(read, dev.address, 'ugut')).toBe(DEVNET_FUNDS);
  });

  it('lets the dev key change a parameter by proposal, applied after the time-lock', async () => {
    const before = await chain.modules.staking.keeper.getParams(await chain.read());
    const submit = await chain.block([
      await chain.sign(dev, [
        {
          typeUrl: '/guts.gov.v1.MsgSubmitProposal',
          value: { proposer: dev.address, title: 'more validators', description: 'room for joiners', content: { parameterChange: { module: 'staking', parameter: 'max_validators', oldValue: String(before.maxValidators), newValue: '120' } } },
        },
      ]),
    ]);
    expect(submit.txResults[0]!.code, submit.txResults[0]!.log).toBe(0);
    const vote = await chain.block([await chain.sign(dev, [{ typeUrl: '/guts.gov.v1.MsgVote', value: { proposalId: 1n, voter: dev.address, option: VoteOption.VOTE_OPTION_YES } }])]);
    expect(vote.txResults[0]!.code, vote.txResults[0]!.log).toBe(0);
    // past the voting period: passed and queued, the parameter not yet changed
    await chain.block([], { timeStep: DEVNET_GOV_PERIODS.votingPeriod });
    const queued = await chain.modules.gov.keeper.getProposal(await chain.read(), 1n);
    expect(queued?.status).toBe(ProposalStatus.PROPOSAL_STATUS_QUEUED);
    expect((await chain.modules.staking.keeper.getParams(await chain.read())).maxValidators).toBe(before.maxValidators);
    // past the execution delay: executed
    await chain.block([], { timeStep: DEVNET_GOV_PERIODS.executionDelay });
    expect((await chain.modules.gov.keeper.getProposal(await chain.read(), 1n))?.status).toBe(ProposalStatus.PROPOSAL_STATUS_EXECUTED);
    expect((await chain.modules.staking.keeper.getParams(await chain.read())).maxValidators).toBe(120);
  });
});
