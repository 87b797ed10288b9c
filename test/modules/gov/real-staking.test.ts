import { afterEach, describe, expect, it } from 'vitest';
import { toBase64 } from '@cosmjs/encoding';
import { ed25519 } from '@noble/curves/ed25519.js';
import { defaultStakingGenesis, stakingGenesisToJson } from '../../../modules/staking/genesis.js';
import { ProposalStatus } from '../../../proto/gen/guts/gov/v1/gov.js';
import { removeDir, type TestAccount } from '../../helpers/chain.js';
import { VoteOption, content, fillAccountNumbers, govAccounts, govChainGenesis, msg, openGovChain, type GovChain } from './harness.js';

let chain: GovChain | undefined;
afterEach(async () => {
  if (!chain) return;
  await chain.close().catch(() => undefined);
  removeDir(chain.dir);
  chain = undefined;
});

/** Gov against modules/staking itself: two genesis validators with 600000 and 400000 self-stake. */
async function setup() {
  const accts = await govAccounts(3, 11);
  const [v0, v1, x] = accts as [TestAccount, TestAccount, TestAccount];
  const genesis = govChainGenesis(accts) as { app_state: Record<string, unknown> };
  const staking = stakingGenesisToJson(defaultStakingGenesis()) as Record<string, unknown>;
  staking.genesis_validators = [v0, v1].map((v, i) => ({
    operator_address: v.address,
    consensus_pubkey: toBase64(ed25519.getPublicKey(new Uint8Array(32).fill(i + 1))),
    description: { moniker: `v${i}`, website: '', details: '' },
    commission: { rate_bp: '500', max_rate_bp: '2000', max_change_rate_bp: '100' },
    self_stake: i === 0 ? '600000' : '400000',
  }));
  genesis.app_state.staking = staking;
  // consensus starts from the set staking bonds at genesis (genesis/doc.ts checks they agree)
  (genesis as Record<string, unknown>).validators = [v0, v1].map((_, i) => ({
    pub_key: { type: 'tendermint/PubKeyEd25519', value: toBase64(ed25519.getPublicKey(new Uint8Array(32).fill(i + 1))) },
    power: i === 0 ? '600000' : '400000',
    name: `v${i}`,
  }));
  chain = await openGovChain(genesis, 'real');
  await fillAccountNumbers(chain, accts);
  return { chain, v0, v1, x };
}

async function stakingParam(c: GovChain, name: string): Promise<string> {
  const space = c.list.find((m) => m.name === 'staking')!.params!;
  return space.get({ store: await c.store.readAt() } as never, name);
}

describe('gov with modules/staking', () => {
  it('tallies bonded stake and changes a staking parameter through its ParamSpace', async () => {
    const { chain: c, v0, v1 } = await setup();
    const before = await stakingParam(c, 'max_validators');
    const next = String(Number(before) + 20);
    const sub = await c.block([await c.sign(v0, [msg.submit(v0.address, content.param('staking', 'max_validators', before, next))])]);
    expect(sub.txResults[0]!.log).toBe('');
    await c.block([await c.sign(v1, [msg.vote(v1.address, 1n, VoteOption.VOTE_OPTION_YES)]), await c.sign(v0, [msg.vote(v0.address, 1n, VoteOption.VOTE_OPTION_YES)])]);
    await c.advanceTo(20n);
    const p = await c.gov.keeper.getProposal({ store: await c.store.readAt() }, 1n);
    expect(p?.finalTally).toMatchObject({ yes: '1000000', totalBonded: '1000000' });
    expect(p?.status).toBe(ProposalStatus.PROPOSAL_STATUS_EXECUTED);
    expect(await stakingParam(c, 'max_validators')).toBe(next);
  });

  it('refuses a proposer that is not a validator and jails a validator by Emergency proposal', async () => {
    const { chain: c, v0, v1, x } = await setup();
    const refused = await c.block([await c.sign(x, [msg.submit(x.address, content.jail(v1.address))])]);
    expect([refused.txResults[0]!.codespace, refused.txResults[0]!.code]).toEqual(['gov', 6]);
    await c.block([await c.sign(v0, [msg.submit(v0.address, content.jail(v1.address))])]);
    await c.block([await c.sign(v0, [msg.vote(v0.address, 1n, VoteOption.VOTE_OPTION_YES)])]);
    await c.advanceTo(10n);
    const p = await c.gov.keeper.getProposal({ store: await c.store.readAt() }, 1n);
    expect(p?.statusReason).toBe('');
    expect(p?.status).toBe(ProposalStatus.PROPOSAL_STATUS_EXECUTED);
    const staking = c.list.find((m) => m.name === 'staking') as unknown as { keeper: { getValidator(ctx: unknown, op: string): Promise<{ jailed: boolean } | undefined> } };
    expect((await staking.keeper.getValidator({ store: await c.store.readAt() }, v1.address))?.jailed).toBe(true);
  });
});
