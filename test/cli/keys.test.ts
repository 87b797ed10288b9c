import { DirectSecp256k1HdWallet } from '@cosmjs/proto-signing';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, guts, hasStack, tempDir } from './run.js';

const MNEMONIC = 'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about';
const ABANDON_ADDRESS = 'guts19rl4cm2hmr8afy4kldpxz3fka4jguq0a6h2up5';
const PASS = 'keyring-pass-123';

let tmp: Awaited<ReturnType<typeof tempDir>>;
let home: string;
const test = (args: string[], input?: string) => guts([...args, '--home', home, '--keyring-backend', 'test'], { home: tmp.path, input });

beforeAll(async () => {
  assertBuilt();
  tmp = await tempDir('guts-cli-keys-');
  home = join(tmp.path, 'home');
});
afterAll(async () => tmp.remove());

describe('guts keys (test backend)', { timeout: 180_000 }, () => {
  it('add prints the new key and its mnemonic as JSON; the address is the one cosmjs derives', async () => {
    const r = await test(['keys', 'add', 'alice', '-o', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const k = JSON.parse(r.stdout) as { name: string; type: string; address: string; pubkey: string; mnemonic: string };
    expect(k).toMatchObject({ name: 'alice', type: 'local' });
    expect(k.mnemonic.split(' ')).toHaveLength(24);
    expect(JSON.parse(k.pubkey)['@type']).toBe('/cosmos.crypto.secp256k1.PubKey');
    const wallet = await DirectSecp256k1HdWallet.fromMnemonic(k.mnemonic, { prefix: 'guts' });
    expect(k.address).toBe((await wallet.getAccounts())[0].address);
  });

  it('add in text mode prints the key on stdout and the mnemonic warning on stderr', async () => {
    const r = await test(['keys', 'add', 'carol']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^- name: carol\n {2}type: local\n {2}address: guts1/);
    expect(r.stdout).not.toMatch(/Important/);
    expect(r.stderr).toMatch(/\*\*Important\*\* write this mnemonic phrase in a safe place/);
    expect(r.stderr.trim().split('\n').at(-1)!.split(' ')).toHaveLength(24);
  });

  it('add --recover reads the mnemonic from stdin and does not echo it', async () => {
    const r = await test(['keys', 'add', 'bob', '--recover', '-o', 'json'], MNEMONIC + '\n');
    expect(r.code, r.stderr).toBe(0);
    const k = JSON.parse(r.stdout);
    expect(k.address).toBe(ABANDON_ADDRESS);
    expect(k).not.toHaveProperty('mnemonic');
  });

  it('add --recover --index derives another account', async () => {
    const r = await test(['keys', 'add', 'bob-1', '--recover', '--index', '1', '-o', 'json'], MNEMONIC);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).address).not.toBe(ABANDON_ADDRESS);
  });

  it('a duplicate name or key fails with the conflict code and no stack trace', async () => {
    const r = await test(['keys', 'add', 'bob2', '--recover'], MNEMONIC);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('Error: conflict (sdk/36): the key for guts19rl4cm2hmr8afy4kldpxz3fka4jguq0a6h2up5 already exists as "bob"\n');
    const r2 = await test(['keys', 'add', 'bob']);
    expect(r2.code).toBe(1);
    expect(r2.stderr).toMatch(/^Error: conflict \(sdk\/36\): a key named "bob" already exists\n$/);
  });

  it('an invalid mnemonic is refused with a coded error', async () => {
    const r = await test(['keys', 'add', 'dave', '--recover'], 'abandon abandon abandon\n');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^Error: invalid request \(sdk\/18\): invalid mnemonic \(3 words\)/);
  });

  it('list prints every key sorted by name, as JSON, YAML or names only', async () => {
    const json = await test(['keys', 'list', '-o', 'json']);
    expect(json.code, json.stderr).toBe(0);
    const keys = JSON.parse(json.stdout) as Array<{ name: string }>;
    expect(keys.map((k) => k.name)).toEqual(['alice', 'bob', 'bob-1', 'carol']);
    const text = await test(['keys', 'list']);
    expect(text.stdout).toMatch(/^- name: alice\n/);
    const names = await test(['keys', 'list', '-n']);
    expect(names.stdout).toBe('alice\nbob\nbob-1\ncarol\n');
  });

  it('show finds a key by name or address; -a prints the address only', async () => {
    const a = await test(['keys', 'show', 'bob', '-a']);
    expect(a).toMatchObject({ code: 0, stdout: ABANDON_ADDRESS + '\n' });
    const byAddr = await test(['keys', 'show', ABANDON_ADDRESS, '-o', 'json']);
    expect(JSON.parse(byAddr.stdout).name).toBe('bob');
    const p = await test(['keys', 'show', 'bob', '-p']);
    expect(JSON.parse(p.stdout)['@type']).toBe('/cosmos.crypto.secp256k1.PubKey');
  });

  it('show of a missing key exits 1 with "key not found (sdk/22)"; --trace adds the stack', async () => {
    const r = await test(['keys', 'show', 'nobody']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^Error: key not found \(sdk\/22\): no key named "nobody" in the test keyring at .*keyring-test\n$/);
    expect(hasStack(r.stderr)).toBe(false);
    const t = await test(['keys', 'show', 'nobody', '--trace']);
    expect(t.code).toBe(1);
    expect(hasStack(t.stderr)).toBe(true);
  });

  it('delete refuses without -y when stdin is not a terminal, and deletes with -y', async () => {
    const r = await test(['keys', 'delete', 'carol']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/refusing to delete "carol" without confirmation: stdin is not a terminal; pass -y/);
    expect((await test(['keys', 'show', 'carol'])).code).toBe(0);
    const d = await test(['keys', 'delete', 'carol', '-y']);
    expect(d.code, d.stderr).toBe(0);
    expect((await test(['keys', 'show', 'carol'])).code).toBe(1);
  });

  it('export and import round-trip through encrypted armor; a wrong passphrase is sdk/23', async () => {
    const ex = await test(['keys', 'export', 'bob', '--armor-passphrase', 'export-pass']);
    expect(ex.code, ex.stderr).toBe(0);
    expect(ex.stdout).toMatch(/^-----BEGIN TENDERMINT PRIVATE KEY-----\n[\s\S]*-----END TENDERMINT PRIVATE KEY-----\n$/);
    const file = join(tmp.path, 'bob.armor');
    await writeFile(file, ex.stdout);
    expect((await test(['keys', 'delete', 'bob', '-y'])).code).toBe(0);

    const wrong = await test(['keys', 'import', 'bob-again', file, '--armor-passphrase', 'nope']);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/^Error: invalid account password \(sdk\/23\): cannot decrypt the exported key: wrong passphrase\n$/);

    const im = await test(['keys', 'import', 'bob-again', file, '--armor-passphrase', 'export-pass', '-o', 'json']);
    expect(im.code, im.stderr).toBe(0);
    expect(JSON.parse(im.stdout)).toMatchObject({ name: 'bob-again', address: ABANDON_ADDRESS });

    const viaStdin = await test(['keys', 'import', 'x', '-', '--armor-passphrase', 'export-pass'], ex.stdout);
    expect(viaStdin.stderr).toMatch(/conflict \(sdk\/36\)/); // same key, already imported
  });

  it('export --unarmored-hex needs --unsafe; import-hex restores the same address', async () => {
    const refused = await test(['keys', 'export', 'bob-again', '--unarmored-hex']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/add --unsafe/);
    const hex = await test(['keys', 'export', 'bob-again', '--unarmored-hex', '--unsafe']);
    expect(hex.stdout).toMatch(/^[0-9a-f]{64}\n$/);
    await test(['keys', 'delete', 'bob-again', '-y']);
    const im = await test(['keys', 'import-hex', 'bob-hex', hex.stdout.trim(), '-o', 'json']);
    expect(JSON.parse(im.stdout).address).toBe(ABANDON_ADDRESS);
  });

  it('export of a missing key fails before asking for any passphrase', async () => {
    const r = await test(['keys', 'export', 'nobody']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/key not found \(sdk\/22\)/);
  });
});

describe('guts keys (file backend)', { timeout: 180_000 }, () => {
  let fhome: string;
  const file = (args: string[], env: Record<string, string> = {}, input?: string) =>
    guts([...args, '--home', fhome], { home: tmp.path, env, input });

  beforeAll(() => {
    fhome = join(tmp.path, 'file-home');
  });

  it('is the default backend and encrypts with --keyring-passphrase', async () => {
    const r = await file(['keys', 'add', 'alice', '--recover', '--keyring-passphrase', PASS, '-o', 'json'], {}, MNEMONIC);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).address).toBe(ABANDON_ADDRESS);
  });

  it('takes the passphrase from GUTS_KEYRING_PASSPHRASE', async () => {
    const r = await file(['keys', 'list', '-n'], { GUTS_KEYRING_PASSPHRASE: PASS });
    expect(r).toMatchObject({ code: 0, stdout: 'alice\n' });
  });

  it('a wrong passphrase is "invalid account password (sdk/23)"', async () => {
    const r = await file(['keys', 'show', 'alice'], { GUTS_KEYRING_PASSPHRASE: 'not-the-passphrase' });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^Error: invalid account password \(sdk\/23\): cannot decrypt the keyring at .*keyring-file: wrong passphrase\n$/);
  });

  it('without a passphrase and without a terminal it says how to give one', async () => {
    const r = await file(['keys', 'show', 'alice']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/needs its passphrase: pass --keyring-passphrase or set GUTS_KEYRING_PASSPHRASE \(stdin is not a terminal/);
  });

  it('a new file keyring refuses a passphrase shorter than 8 characters', async () => {
    const r = await guts(['keys', 'add', 'x', '--home', join(tmp.path, 'short'), '--keyring-passphrase', 'short'], { home: tmp.path });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/at least 8 characters/);
  });
});

describe('client.toml defaults', { timeout: 180_000 }, () => {
  it('keyring-backend in <home>/config/client.toml selects the backend', async () => {
    const h = join(tmp.path, 'configured');
    await mkdir(join(h, 'config'), { recursive: true });
    await writeFile(join(h, 'config', 'client.toml'), 'keyring-backend = "test"\n');
    const add = await guts(['keys', 'add', 'k', '--recover', '--home', h], { home: tmp.path, input: MNEMONIC });
    expect(add.code, add.stderr).toBe(0);
    const list = await guts(['keys', 'list', '-n', '--home', h, '--keyring-backend', 'test'], { home: tmp.path });
    expect(list.stdout).toBe('k\n');
  });

  it('an unsupported keyring-backend there is a clear error', async () => {
    const h = join(tmp.path, 'os-backend');
    await mkdir(join(h, 'config'), { recursive: true });
    await writeFile(join(h, 'config', 'client.toml'), 'keyring-backend = "os"\n');
    const r = await guts(['keys', 'list', '--home', h], { home: tmp.path });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/keyring-backend "os" in .*client\.toml is not supported: use test or file/);
  });
});
