import { afterEach, describe, expect, it } from 'vitest';
import { genesisFileBytes, parseGenesis } from '../../../genesis/doc.js';
import { GenesisError } from '../../../app/chain/genesis-error.js';
import { defaultGovGenesis, govGenesisToJson, validateGovGenesis } from '../../../modules/gov/genesis.js';
import { UpgradeHandlers } from '../../../modules/gov/upgrade.js';
import { removeDir, type TestAccount } from '../../helpers/chain.js';
import { FakeStaking, VoteOption, content, fillAccountNumbers, govAccounts, govChainGenesis, msg, openGovChain, testGovParams, type GovChain } from './harness.js';

const chains: GovChain[] = [];
afterEach(async () => {
  for (const c of chains.splice(0)) {
    await c.close().catch(() => undefined);
    removeDir(c.dir);
  }
});

describe('gov genesis', () => {
  it('exports, imports and exports again to the same bytes, with proposals in every state', async () => {
    const accts = await govAccounts(4);
    const [v0, v1, v2, d] = accts as [TestAccount, TestAccount, TestAccount, TestAccount];
    const staking = new FakeStaking().addValidator(v0.address, 500n).addValidator(v1.address, 300n).addValidator(v2.address, 200n).delegate(d.address, v2.address, 20n);
    const upgrades = new UpgradeHandlers().register('v1', async () => undefined);
    const genesis = govChainGenesis(accts, { treasury: 5_000n, gov: { appliedUpgrades: [{ name: 'v1', version: 'v1.0.0', height: 1n }] } });
    const chain = await openGovChain(genesis, staking, { upgrades });
    chains.push(chain);
    await fillAccountNumbers(chain, accts);
    const yes = (v: TestAccount, id: bigint, option = VoteOption.VOTE_OPTION_YES) => chain.sign(v, [msg.vote(v.address, id, option)]);
    // 1 executed pause, 2 rejected, 3 executed upgrade (plan scheduled), 4 queued with a veto, 5 still voting
    await chain.block([
      await chain.sign(v0, [msg.submit(v0.address, content.pause('bank'))]),
      await chain.sign(v1, [msg.submit(v1.address, content.spend(d.address, 10n))]),
      await chain.sign(v2, [msg.submit(v2.address, content.upgrade('v2', 1_000n))]),
    ]);
    await chain.block([await yes(v0, 1n), await yes(v1, 1n), await yes(v2, 2n, VoteOption.VOTE_OPTION_NO_WITH_VETO), await yes(v1, 2n, VoteOption.VOTE_OPTION_NO), await yes(v0, 3n), await yes(d, 3n, VoteOption.VOTE_OPTION_ABSTAIN)]);
    await chain.block([await chain.sign(v0, [msg.submit(v0.address, content.param('gov', 'execution_delay', '5', '6'))])]);
    await chain.block([await yes(v0, 4n), await yes(v1, 4n)]);
    while (chain.height() < 14) await chain.block();
    await chain.block([await chain.sign(v2, [msg.veto(v2.address, 4n)]), await chain.sign(v0, [msg.submit(v0.address, content.spend(d.address, 1n), 'a grant')])]);
    await chain.block([await yes(d, 5n, VoteOption.VOTE_OPTION_NO)]);
    await chain.block();

    const exported = await chain.gov.exportGenesis(await exportCtx(chain));
    expect(exported.proposals.map((p) => p.status)).toEqual([5, 3, 5, 2, 1]);
    expect(exported.timelockVetoes).toEqual([{ proposalId: 4n, validator: v2.address }]);
    expect(exported.pausedModules).toEqual([{ module: 'bank', proposalId: 1n }]);
    expect(exported.upgradePlan).toMatchObject({ name: 'v2', height: 1_000n });
    expect(exported.votes.length).toBe(9);

    const g = parseGenesis(genesis, chain.list);
    g.appState = await chain.app.exportAppState();
    const first = genesisFileBytes(g, chain.list);
    const again = await openGovChain(JSON.parse(first), staking, { upgrades });
    chains.push(again);
    const second = genesisFileBytes({ ...g, appState: await again.app.exportAppState() }, again.list);
    expect(second).toBe(first);
    // the imported state is the exported one, queues and indexes included
    expect(again.store.committedRoot).toEqual(chain.store.committedRoot);
  });

  it('refuses invalid gov genesis with the path of the problem', () => {
    const good = govGenesisToJson({ ...defaultGovGenesis(), params: testGovParams() }) as Record<string, any>;
    const bad = (mutate: (g: Record<string, any>) => void) => {
      const g = structuredClone(good);
      mutate(g);
      try {
        validateGovGenesis(g, 'app_state.gov');
      } catch (e) {
        expect(e).toBeInstanceOf(GenesisError);
        return (e as GenesisError).path;
      }
      throw new Error('accepted');
    };
    expect(bad((g) => (g.params.quorum_bps = '0'))).toBe('app_state.gov.params.quorum_bps');
    expect(bad((g) => (g.params.emergency_voting_period = '11'))).toBe('app_state.gov.params.emergency_voting_period');
    expect(bad((g) => (g.params.min_deposit = '10 ugut'))).toBe('app_state.gov.params.min_deposit');
    expect(bad((g) => (g.params.extra = '1'))).toBe('app_state.gov.params.extra');
    expect(bad((g) => (g.votes = [{ proposal_id: '1', voter: 'guts1xyz', option: 'yes' }]))).toBe('app_state.gov.votes[0].voter');
    expect(bad((g) => (g.upgrade_plan = { name: 'has space', version: '1', height: '5' }))).toBe('app_state.gov.upgrade_plan');
    expect(bad((g) => (g.paused_modules = [{ module: 'gov', proposal_id: '1' }]))).toBe('app_state.gov.paused_modules[0].module');
  });
});

async function exportCtx(chain: GovChain) {
  return { store: await chain.store.readAt() } as never;
}
