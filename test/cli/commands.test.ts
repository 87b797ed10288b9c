import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, guts, hasStack, tempDir } from './run.js';

const TO = 'guts19rl4cm2hmr8afy4kldpxz3fka4jguq0a6h2up5';
const DEAD_NODE = 'http://127.0.0.1:1';
const MNEMONIC = 'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about';

let tmp: Awaited<ReturnType<typeof tempDir>>;
const run = (args: string[], input?: string) => guts(args, { home: tmp.path, input });

beforeAll(async () => {
  assertBuilt();
  tmp = await tempDir('guts-cli-cmds-');
  // a key to send from, so `tx bank send` gets as far as the node
  const r = await run(['keys', 'add', 'alice', '--recover', '--home', `${tmp.path}/home`, '--keyring-backend', 'test'], MNEMONIC);
  if (r.code !== 0) throw new Error(r.stderr);
});
afterAll(async () => tmp.remove());

const COMMANDS = [
  'keys',
  'keys add',
  'keys list',
  'keys show',
  'keys delete',
  'keys export',
  'keys import',
  'keys import-hex',
  'tx',
  'tx bank send',
  'query',
  'query bank balances',
  'query auth account',
  'query tx',
  'status',
  'init',
  'start',
  'devnet',
];

describe('help', { timeout: 180_000 }, () => {
  it('guts --help lists the topics and commands', async () => {
    const r = await run(['--help']);
    expect(r.code).toBe(0);
    for (const t of ['keys', 'query', 'tx', 'status', 'init', 'start', 'devnet']) expect(r.stdout).toMatch(new RegExp(`^ {2}${t} `, 'm'));
  });

  it.each(COMMANDS)('guts %s --help has a summary, usage and examples', async (cmd) => {
    const r = await run([...cmd.split(' '), '--help']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^USAGE\n {2}\$ guts /m);
    expect(r.stdout).toMatch(/^EXAMPLES$/m);
  });

  it('tx bank send --help documents the tx flags', async () => {
    const r = await run(['tx', 'bank', 'send', '--help']);
    for (const f of ['--node', '--chain-id', '--from', '--keyring-backend', '--gas', '--gas-adjustment', '--gas-prices', '--fees', '--memo', '--yes', '--broadcast-mode', '--output']) {
      expect(r.stdout).toContain(f);
    }
  });

  it('devnet --help documents its flags and default home', async () => {
    const r = await run(['devnet', '--help']);
    for (const f of ['--home', '--mnemonic', '--rpc.laddr', '--block-time', '--log-format', '--log-level']) expect(r.stdout).toContain(f);
    expect(r.stdout).toContain('~/.guts-devnet');
  });
});

describe('unreachable node', { timeout: 180_000 }, () => {
  const expectUnreachable = (r: { code: number | null; stdout: string; stderr: string }) => {
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^Error: cannot reach node at http:\/\/127\.0\.0\.1:1: .+\n$/);
    expect(hasStack(r.stderr)).toBe(false);
  };

  it('status', async () => expectUnreachable(await run(['status', '--node', DEAD_NODE])));
  it('query bank balances', async () => expectUnreachable(await run(['query', 'bank', 'balances', TO, '--node', DEAD_NODE])));
  it('query auth account', async () => expectUnreachable(await run(['query', 'auth', 'account', TO, '--node', DEAD_NODE, '-o', 'json'])));
  it('query tx', async () => expectUnreachable(await run(['query', 'tx', 'AB'.repeat(32), '--node', DEAD_NODE])));
  it('tx bank send', async () =>
    expectUnreachable(await run(['tx', 'bank', 'send', 'alice', TO, '1000ugut', '-y', '--node', DEAD_NODE, '--home', `${tmp.path}/home`, '--keyring-backend', 'test'])));
  it('tcp:// node addresses are read as http://', async () => expectUnreachable(await run(['status', '--node', 'tcp://127.0.0.1:1'])));
});

describe('input checks before any network use', { timeout: 180_000 }, () => {
  const send = (args: string[]) =>
    run(['tx', 'bank', 'send', ...args, '--node', DEAD_NODE, '--home', `${tmp.path}/home`, '--keyring-backend', 'test']);

  it('tx bank send without -y and without a terminal refuses clearly', async () => {
    const r = await send(['alice', TO, '1000ugut']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('Error: refusing to sign without confirmation: stdin is not a terminal; pass -y/--yes to sign and broadcast\n');
  });

  it('a bad recipient is "invalid address (sdk/7)"', async () => {
    const r = await send(['alice', 'cosmos19rl4cm2hmr8afy4kldpxz3fka4jguq0auqdal4', '1000ugut', '-y']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^Error: invalid address \(sdk\/7\): to_address cosmos1\S+ has prefix "cosmos", expected "guts"\n$/);
  });

  it('a bad amount is "invalid coins (sdk/10)"', async () => {
    for (const amount of ['1000', '0ugut', '1.5ugut']) {
      const r = await send(['alice', TO, amount, '-y']);
      expect(r.code, amount).toBe(1);
      expect(r.stderr, amount).toMatch(/^Error: invalid coins \(sdk\/10\): amount/);
    }
  });

  it('an unknown sender is "key not found (sdk/22)"', async () => {
    const r = await send(['nobody', TO, '1ugut', '-y']);
    expect(r.stderr).toMatch(/^Error: key not found \(sdk\/22\)/);
  });

  it('--fees and --gas-prices together are refused', async () => {
    const r = await send(['alice', TO, '1ugut', '-y', '--fees', '10ugut', '--gas-prices', '0.1ugut']);
    expect(r.code).toBe(2); // oclif flag-constraint error
    expect(r.stderr).toMatch(/--fees=10ugut cannot also be provided when using --gas-prices/);
  });

  it('--gas must be auto or a positive integer', async () => {
    const r = await send(['alice', TO, '1ugut', '-y', '--gas', 'lots']);
    expect(r.stderr).toMatch(/^Error: invalid gas limit \(sdk\/41\)/);
  });

  it('query tx checks the hash', async () => {
    const r = await run(['query', 'tx', 'xyz', '--node', DEAD_NODE]);
    expect(r.stderr).toMatch(/^Error: invalid request \(sdk\/18\): tx hash "xyz" must be 64 hex characters\n$/);
  });

  it('query --height must be a non-negative integer', async () => {
    const r = await run(['query', 'bank', 'balances', TO, '--height', '-3', '--node', DEAD_NODE]);
    expect(r.code).not.toBe(0);
  });
});
