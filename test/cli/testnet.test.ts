/** `guts testnet init`, `guts genesis generate` and `guts genesis validate` as a user runs them. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertBuilt, guts } from './run.js';

describe('testnet and genesis commands', { timeout: 120_000 }, () => {
  let tmp: string;
  beforeAll(async () => {
    assertBuilt();
    tmp = await mkdtemp(join(tmpdir(), 'guts-cli-testnet-'));
  });
  afterAll(() => rm(tmp, { recursive: true, force: true }));

  it('testnet init --validators writes homes and a manifest; genesis validate accepts the result', async () => {
    const out = join(tmp, 't3');
    const r = await guts(['testnet', 'init', '--validators', '3', '--chain-id', 'guts-cli-3', '--output-dir', out, '-o', 'json'], { home: tmp });
    expect(r.code).toBe(0);
    const m = JSON.parse(r.stdout) as { chainId: string; nodes: { name: string; home: string; rpc: string }[] };
    expect(m.chainId).toBe('guts-cli-3');
    expect(m.nodes.map((n) => n.name)).toEqual(['validator-1', 'validator-2', 'validator-3']);
    expect(JSON.parse(await readFile(join(out, 'testnet.json'), 'utf8'))).toEqual(m);
    const v = await guts(['genesis', 'validate', join(out, 'validator-2', 'config', 'genesis.json')], { home: tmp });
    expect(v.code).toBe(0);
    expect(v.stdout).toContain('chain guts-cli-3, initial height 1, 3 validators, total power 3000000');
  });

  it('genesis generate --config refuses a bad config with its YAML path', async () => {
    const cfg = join(tmp, 'bad.yml');
    await writeFile(cfg, 'network: { name: x }\ngenesis: { validators: [{ name: a, region: mars }] }\n');
    const r = await guts(['genesis', 'generate', '--config', cfg, '--output-dir', join(tmp, 'never')], { home: tmp });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('invalid testnet configuration (testnet/2): genesis.validators[0].region');
  });

  it('genesis validate names the wrong field of a broken genesis', async () => {
    const out = join(tmp, 't1');
    expect((await guts(['testnet', 'init', '--validators', '1', '--output-dir', out], { home: tmp })).code).toBe(0);
    const file = join(out, 'validator-1', 'config', 'genesis.json');
    const g = JSON.parse(await readFile(file, 'utf8'));
    g.app_state.bank.balances[0].coins[0].amount = '-5';
    await writeFile(file, JSON.stringify(g));
    const r = await guts(['genesis', 'validate', file], { home: tmp });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('app_state.bank.balances[0].coins[0].amount');
  });
});
