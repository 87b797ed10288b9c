import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readConfig } from '../../app/node/config.js';
import { homePaths } from '../../app/node/home.js';
import { openKeyring } from '../../app/keyring/index.js';
import { parseTestnetConfig } from '../../testnet/config.js';
import { generateTestnet } from '../../testnet/generate.js';
import { openTestChain, removeDir } from '../helpers/chain.js';

const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'guts-testnet-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach(removeDir));

const CONFIG = `
network: { name: t4, chain_id: guts-t4-1 }
genesis:
  validators:
    - { name: a, stake: 4000000, region: us-east }
    - { name: b, stake: 3000000, region: eu-west }
    - { name: c, stake: 2000000, region: ap-southeast }
    - { name: d, stake: 1000000, region: sa-east }
  parameters:
    min_stake: 500000
    staking: { epoch_length: 20 }
local: { base_port: 31000 }
`;

describe('testnet generation', () => {
  it('writes one home per validator sharing a genesis whose consensus set is the staking genesis set', async () => {
    const out = join(tmp(), 'net');
    const m = await generateTestnet({ config: parseTestnetConfig(CONFIG), out, genesisTime: '2026-12-01T00:00:00Z' });
    expect(m.nodes.map((n) => n.name)).toEqual(['a', 'b', 'c', 'd']);
    const genesisFiles = m.nodes.map((n) => readFileSync(homePaths(n.home).genesis, 'utf8'));
    expect(new Set(genesisFiles).size).toBe(1);
    const g = JSON.parse(genesisFiles[0]!);
    expect(g.chain_id).toBe('guts-t4-1');
    expect(g.app_state.staking.params.min_stake).toBe('500000');
    expect(g.app_state.staking.params.epoch_length).toBe('20');
    // consensus validators: powers = stakes (power_reduction 1), highest first, keys = the homes' validator keys
    expect(g.validators.map((v: { power: string }) => v.power)).toEqual(['4000000', '3000000', '2000000', '1000000']);
    const keys = m.nodes.map((n) => JSON.parse(readFileSync(homePaths(n.home).privValidatorKey, 'utf8')).pub_key.value);
    expect(g.validators.map((v: { pub_key: { value: string } }) => v.pub_key.value)).toEqual(keys);
    // ports, bootstrap (never itself), loopback allow-list
    const c = await readConfig(homePaths(m.nodes[1]!.home).config);
    expect(c.rpc.laddr).toBe('tcp://127.0.0.1:31010');
    expect(c.p2p.listen).toEqual(['/ip4/127.0.0.1/tcp/31011', '/ip4/127.0.0.1/tcp/31012/ws']);
    expect(c.p2p.bootstrap).toEqual([m.nodes[0]!.multiaddr, m.nodes[2]!.multiaddr]);
    expect(c.p2p.allow).toEqual(['127.0.0.0/8']);
    // each operator key is in its home's test keyring
    const op = await openKeyring({ home: m.nodes[3]!.home, backend: 'test' }).show('operator');
    expect(op.address).toBe(m.nodes[3]!.operatorAddress);

    // the genesis boots: staking bonds the four self-stakes at InitChain
    const chain = await openTestChain(g, tmp());
    try {
      const res = await chain.app.query({ path: '/guts.staking.v1.Query/Pool', data: new Uint8Array(), height: 0n, prove: false });
      expect(res.code).toBe(0);
      const operators = await chain.app.query({ path: '/guts.staking.v1.Query/Validators', data: new Uint8Array(), height: 0n, prove: false });
      expect(operators.code).toBe(0);
      const text = Buffer.from(operators.value).toString('latin1');
      for (const n of m.nodes) expect(text).toContain(n.operatorAddress);
    } finally {
      await chain.close();
    }
  });

  it('refuses bad configs with the YAML path and leaves no half-written folder', async () => {
    expect(() => parseTestnetConfig('network: { name: x }\ngenesis: { validators: [{ name: a, stake: -1 }] }')).toThrow(/genesis\.validators\[0\]\.stake/);
    expect(() => parseTestnetConfig('network: { name: x }\nregions: [{ name: mars, nodes: 2 }]')).toThrow(/regions\[0\]\.name/);
    expect(() => parseTestnetConfig('network: { name: x }\ngenesis: { validators: [{ name: a }, { name: a }] }')).toThrow(/duplicate name/);
    expect(() => parseTestnetConfig('network: { name: x }\ngenesis: { validators: [{ name: a, pubkey: "ed25519:xx" }] }')).toThrow(/pubkey/);
    const ambiguous = parseTestnetConfig('network: { name: x }\ngenesis: { validators: [{ name: a }], parameters: { epoch_length: 5 } }');
    const out = join(tmp(), 'bad');
    await expect(generateTestnet({ config: ambiguous, out })).rejects.toThrow(/several modules have it \(staking, sybil\)/);
    expect(existsSync(out)).toBe(false);
    const unknown = parseTestnetConfig('network: { name: x }\ngenesis: { validators: [{ name: a }], parameters: { staking: { no_such: 1 } } }');
    await expect(generateTestnet({ config: unknown, out })).rejects.toThrow(/module staking has no parameter no_such/);
    const full = tmp();
    writeFileSync(join(full, 'x'), 'keep');
    await expect(generateTestnet({ config: parseTestnetConfig('network: { name: x }\ngenesis: { validators: [{ name: a }] }'), out: full })).rejects.toThrow(/not empty/);
    expect(readFileSync(join(full, 'x'), 'utf8')).toBe('keep');
  });

  it('spreads generated validators over the regions of the config', () => {
    const c = parseTestnetConfig(readFileSync('testnet/config.yml', 'utf8'));
    expect(c.validators).toHaveLength(20);
    expect(new Set(c.validators.map((v) => v.region))).toEqual(new Set(['us-east', 'eu-west', 'ap-southeast', 'sa-east']));
  });
});
