import { describe, expect, it } from 'vitest';
import { createModules } from '../../app/chain/modules.js';
import { GenesisError } from '../../app/chain/genesis-error.js';
import { genesisFileBytes, parseGenesis, parseGenesisText } from '../../genesis/doc.js';
import { formatRfc3339, parseRfc3339 } from '../../genesis/time.js';
import { genesisJson, makeAccounts } from '../helpers/chain.js';

const modules = createModules().list;

function mutate(f: (g: any) => void): unknown {
  const g = JSON.parse(JSON.stringify(genesisJson([{ address: 'guts19rl4cm2hmr8afy4kldpxz3fka4jguq0a6h2up5', amount: 100n }])));
  f(g);
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

describe('genesis validation names the offending field', () => {
  it.each([
    ['chain_id', (g: any) => (g.chain_id = 'bad chain id!'), 'chain_id'],
    ['genesis_time', (g: any) => (g.genesis_time = 'yesterday'), 'genesis_time'],
    ['initial_height', (g: any) => (g.initial_height = '0'), 'initial_height'],
    ['no validators', (g: any) => (g.validators = []), 'validators'],
    ['validator key', (g: any) => (g.validators[0].pub_key.value = 'AAAA'), 'validators[0].pub_key.value'],
    ['validator power', (g: any) => (g.validators[0].power = '-5'), 'validators[0].power'],
    ['validator address', (g: any) => (g.validators[0].address = '00'.repeat(20)), 'validators[0].address'],
    ['max gas', (g: any) => (g.consensus_params.block.max_gas = '-7'), 'consensus_params.block.max_gas'],
    ['unknown module', (g: any) => (g.app_state.nonsense = {}), 'app_state.nonsense'],
    ['negative amount', (g: any) => (g.app_state.bank.balances[0].coins[0].amount = '-5'), 'app_state.bank.balances[0].coins[0].amount'],
    ['overflowing amount', (g: any) => (g.app_state.bank.balances[0].coins[0].amount = (1n << 256n).toString()), 'app_state.bank.balances[0].coins[0].amount'],
    ['bad bech32', (g: any) => (g.app_state.bank.balances[0].address = 'guts1xyz'), 'app_state.bank.balances[0].address'],
    ['wrong prefix', (g: any) => (g.app_state.bank.balances[0].address = 'cosmos19rl4cm2hmr8afy4kldpxz3fka4jguq0a8rupmm'), 'app_state.bank.balances[0].address'],
    ['bad denom', (g: any) => (g.app_state.bank.balances[0].coins[0].denom = '1x'), 'app_state.bank.balances[0].coins[0].denom'],
    ['supply mismatch', (g: any) => (g.app_state.bank.supply = [{ denom: 'ugut', amount: '101' }]), 'app_state.bank.supply'],
    ['auth param', (g: any) => (g.app_state.auth.params.tx_sig_limit = '0'), 'app_state.auth.params.tx_sig_limit'],
    ['unknown field', (g: any) => (g.app_state.auth.params.extra = '1'), 'app_state.auth.params.extra'],
    ['app_hash', (g: any) => (g.app_hash = 'AB'), 'app_hash'],
  ])('%s', (_name, change, path) => {
    const err = errorOf(mutate(change));
    expect(err.path).toBe(path);
    expect(err.message).toContain(path);
  });

  it('reports JSON syntax errors as genesis errors', () => {
    expect(() => parseGenesisText('{"chain_id": ', modules)).toThrow(GenesisError);
  });

  it('accepts its own output and writes it back byte for byte', async () => {
    const accts = await makeAccounts(5);
    const g = parseGenesis(genesisJson(accts.map((a, i) => ({ address: a.address, amount: BigInt(i + 1) }))), modules);
    const text = genesisFileBytes(g, modules);
    expect(genesisFileBytes(parseGenesisText(text, modules), modules)).toBe(text);
  });
});

describe('RFC 3339 times keep nanoseconds without floats', () => {
  it('round-trips CometBFT-style timestamps', () => {
    for (const s of ['2026-11-24T22:27:30.123456789Z', '2026-11-24T22:27:30Z', '2026-01-01T00:00:00.5Z']) {
      expect(formatRfc3339(parseRfc3339(s)!)).toBe(s);
    }
    expect(parseRfc3339('2026-11-24T23:27:30+01:00')).toEqual(parseRfc3339('2026-11-24T22:27:30Z'));
    expect(parseRfc3339('2026-02-30T00:00:00Z')).toBeUndefined();
  });
});
