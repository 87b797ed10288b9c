/**
 * Consensus `validators` and staking's genesis must agree: every validator staking bonds
 * at genesis is listed with its power, and no staking key that is not bonded is.
 */
import { describe, expect, it } from 'vitest';
import { toBase64 } from '@cosmjs/encoding';
import { ed25519 } from '@noble/curves/ed25519.js';
import { createModules } from '../../app/chain/modules.js';
import { GenesisError } from '../../app/chain/genesis-error.js';
import { parseGenesis } from '../../genesis/doc.js';
import { genesisJson, makeAccounts } from '../helpers/chain.js';

const modules = createModules().list;
const key = (i: number) => toBase64(ed25519.getPublicKey(new Uint8Array(32).fill(i)));
const consensus = (i: number, power: string) => ({ pub_key: { type: 'tendermint/PubKeyEd25519', value: key(i) }, power, name: `v${i}` });

async function stakingGenesis(edit: (g: any) => void = () => undefined): Promise<any> {
  const [a, b] = await makeAccounts(2, 31);
  const g: any = JSON.parse(JSON.stringify(genesisJson([{ address: a!.address, amount: 10_000_000n }, { address: b!.address, amount: 10_000_000n }])));
  const staking = createModules().staking;
  g.app_state.staking = staking.genesisToJson(staking.defaultGenesis());
  g.app_state.staking.genesis_validators = [a!, b!].map((acct, i) => ({
    operator_address: acct.address,
    consensus_pubkey: key(i + 1),
    description: { moniker: `v${i + 1}`, website: '', details: '' },
    commission: { rate_bp: '500', max_rate_bp: '2000', max_change_rate_bp: '100' },
    self_stake: i === 0 ? '3000000' : '1000000',
  }));
  g.validators = [consensus(1, '3000000'), consensus(2, '1000000')];
  edit(g);
  return g;
}

function errorOf(raw: unknown): GenesisError {
  try {
    parseGenesis(raw, modules);
  } catch (e) {
    if (e instanceof GenesisError) return e;
    throw e;
  }
  throw new Error('genesis was accepted');
}

describe('consensus validators match staking genesis', () => {
  it('accepts the set staking bonds, in any order', async () => {
    const g = await stakingGenesis((g) => g.validators.reverse());
    expect(parseGenesis(g, modules).validators.map((v) => v.power)).toEqual([1_000_000n, 3_000_000n]);
  });

  it('accepts any consensus set when staking bonds nobody (the default home)', async () => {
    const g = await stakingGenesis((g) => (g.app_state.staking.genesis_validators = []));
    expect(parseGenesis(g, modules).validators).toHaveLength(2);
  });

  it('names validators when a bonded staking validator is missing', async () => {
    const e = errorOf(await stakingGenesis((g) => g.validators.pop()));
    expect(e.path).toBe('validators');
    expect(e.problem).toContain('app_state.staking bonds "v2"');
    expect(e.problem).toContain(key(2));
    expect(e.problem).toContain('power 1000000');
  });

  it('names the power that differs from self-stake / power_reduction', async () => {
    const e = errorOf(await stakingGenesis((g) => (g.validators[1].power = '10')));
    expect(e.path).toBe('validators[1].power');
    expect(e.problem).toContain('gives pub_key');
    const reduced = await stakingGenesis((g) => {
      g.app_state.staking.params.power_reduction = '1000';
      g.validators = [consensus(1, '3000'), consensus(2, '1000')];
    });
    expect(parseGenesis(reduced, modules).validators.map((v) => v.power)).toEqual([3000n, 1000n]);
  });

  it('refuses a staking key that is not bonded at genesis (outside max_validators)', async () => {
    const e = errorOf(await stakingGenesis((g) => (g.app_state.staking.params.max_validators = '1')));
    expect(e.path).toBe('validators[1]');
    expect(e.problem).toContain('not bonded at genesis');
  });
});
