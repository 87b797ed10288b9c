/** Genesis of sybil, faucet and repo: export → import → export gives the same bytes; bad files name the path. */
import { afterEach, describe, expect, it } from 'vitest';
import { sha256 } from '@noble/hashes/sha2.js';
import { toHex } from '@cosmjs/encoding';
import { powChallenge, solvePow } from '../../../sdk/pow.js';
import { genesisFileBytes, parseGenesis } from '../../../genesis/doc.js';
import { GenesisError } from '../../../app/chain/genesis-error.js';
import { CollabEventType } from '../../../proto/gen/guts/repo/v1/repo.js';
import { FAUCET, withStakingValidators, bondValidator, gutsGenesis, gutsModules, makeAccounts, openGutsChain, type GutsChain } from '../sybil/chain.js';

const chains: GutsChain[] = [];
afterEach(async () => {
  for (const c of chains.splice(0)) await c.close();
});

describe('sybil, faucet and repo genesis', () => {
  it('exports state that imports and exports again to the same bytes', async () => {
    const [owner, poor] = await makeAccounts(2, 91);
    const genesis = gutsGenesis({
      accounts: [{ address: owner!.address, amount: 1_000_000_000n }, { address: poor!.address, amount: 10n }, { address: FAUCET, amount: 1_000_000_000n }],
      state: { sybil: (s) => Object.assign(s.params, { pow_bits_create_repo: '6', stake_create_repo: '1000', stake_collaboration: '1000' }) },
    });
    const chain = await openGutsChain(genesis, [owner!, poor!]);
    chains.push(chain);
    await chain.block([]);
    await bondValidator(chain, owner!, 1000n);
    const { nonce } = await solvePow({ challenge: powChallenge({ chainId: chain.chainId, signer: poor!.address, action: 'create_repo', blockHash: chain.hashOf(1) }), bits: 6 });
    const repo = `${owner!.address}/guts`;
    const res = await chain.block([
      await chain.sign(owner!, [
        { typeUrl: '/guts.repo.v1.MsgCreateRepo', value: { owner: owner!.address, name: 'guts' } },
        { typeUrl: '/guts.repo.v1.MsgAddCollaborator', value: { owner: owner!.address, repo, collaborator: poor!.address } },
        { typeUrl: '/guts.repo.v1.MsgUpdateRef', value: { signer: owner!.address, repo, ref: 'refs/heads/main', oldObjectId: '', newObjectId: 'a'.repeat(40) } },
        { typeUrl: '/guts.repo.v1.MsgAnchorCollabEvent', value: { author: owner!.address, repo, eventType: CollabEventType.COLLAB_EVENT_TYPE_REVIEW, itemId: 'r-1', contentHash: sha256(new Uint8Array([1])) } },
        { typeUrl: '/guts.faucet.v1.MsgFaucetRequest', value: { sender: owner!.address, recipient: poor!.address } },
      ]),
      await chain.sign(poor!, [{ typeUrl: '/guts.repo.v1.MsgCreateRepo', value: { owner: poor!.address, name: 'mine', pow: { nonce, blockHeight: 1n } } }]),
    ]);
    expect(res.txResults.map((r) => r.log)).toEqual(['', '']);
    const modules = gutsModules();
    const base = parseGenesis(genesis, modules.list);
    const exported1 = genesisFileBytes(withStakingValidators({ ...base, appState: await chain.app.exportAppState() }), modules.list);
    const state = JSON.parse(exported1).app_state;
    expect(state.sybil.used_pow).toHaveLength(1);
    expect(state.sybil.block_hashes.map((b: { height: string }) => b.height)).toEqual(['1', '2', '3']);
    expect(state.repo.repos.map((r: { name: string }) => r.name)).toEqual(owner!.address < poor!.address ? ['guts', 'mine'] : ['mine', 'guts']);
    expect(state.faucet.recipients).toEqual([{ address: poor!.address, total_received: '100000000', last_request_time: String(chain.time()), requests: '1' }]);
    const imported = await openGutsChain(JSON.parse(exported1));
    chains.push(imported);
    const exported2 = genesisFileBytes(withStakingValidators({ ...base, appState: await imported.app.exportAppState() }), modules.list);
    expect(exported2).toBe(exported1);
  });

  it('names the offending path for bad module genesis', async () => {
    const [a] = await makeAccounts(1, 92);
    const modules = gutsModules();
    const cases: [string, (s: any) => void, string][] = [
      ['sybil', (s) => (s.params.max_discount_bp = '5001'), 'app_state.sybil.params.max_discount_bp'],
      ['sybil', (s) => (s.params.pow_window = 7), 'app_state.sybil.params.pow_window'],
      ['sybil', (s) => (s.params.bogus = '1'), 'app_state.sybil.params.bogus'],
      ['sybil', (s) => (s.block_hashes = [{ height: '2', hash: '00'.repeat(32) }, { height: '1', hash: '00'.repeat(32) }]), 'app_state.sybil.block_hashes[1].height'],
      ['sybil', (s) => (s.used_pow = [{ solution: 'zz', block_height: '1' }]), 'app_state.sybil.used_pow[0].solution'],
      ['sybil', (s) => (s.reputations = [{ address: a!.address, first_seen_height: '0' }]), 'app_state.sybil.reputations[0].first_seen_height'],
      ['faucet', (f) => (f.params.lifetime_limit = '1'), 'app_state.faucet.params'],
      ['faucet', (f) => (f.params.amount_per_request = { denom: 'u', amount: '1' }), 'app_state.faucet.params.amount_per_request'],
      ['faucet', (f) => (f.recipients = [{ address: 'guts1x', total_received: '1', last_request_time: '0', requests: '1' }]), 'app_state.faucet.recipients[0].address'],
      ['repo', (r) => (r.params.max_collaborators = '1001'), 'app_state.repo.params.max_collaborators'],
      ['repo', (r) => (r.repos = [{ owner: a!.address, name: 'x', refs: [{ name: 'main', object_id: 'a'.repeat(40), updated_by: a!.address, updated_height: '1' }] }]), 'app_state.repo.repos[0].refs[0].name'],
      ['repo', (r) => (r.repos = [{ owner: a!.address, name: 'x', collaborators: [a!.address] }]), 'app_state.repo.repos[0].collaborators[0]'],
      ['repo', (r) => (r.repos = [{ owner: a!.address, name: 'x', anchors: [{ event_type: 'memo', item_id: 'i', content_hash: toHex(new Uint8Array(32)), author: a!.address, height: '1', revision: '1' }] }]), 'app_state.repo.repos[0].anchors[0].event_type'],
    ];
    for (const [name, edit, path] of cases) {
      const g = gutsGenesis({ accounts: [{ address: a!.address, amount: 1n }], state: { [name]: edit } });
      let err: unknown;
      try {
        parseGenesis(g, modules.list);
      } catch (e) {
        err = e;
      }
      expect(err, path).toBeInstanceOf(GenesisError);
      expect((err as GenesisError).path).toBe(path);
    }
  });
});
