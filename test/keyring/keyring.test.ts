import { DirectSecp256k1HdWallet } from '@cosmjs/proto-signing';
import { stringToPath } from '@cosmjs/crypto';
import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrConflict, ErrInvalidRequest, ErrKeyNotFound, ErrNotSupported, ErrWrongPassword, isError } from '../../app/errors.js';
import { openKeyring, type KeyringBackend, type OpenKeyringOptions } from '../../app/keyring/index.js';

// BIP39 test vector mnemonic (trezor vectors), so the expected address is reproducible anywhere.
const MNEMONIC =
  'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about';
const PASS = 'correct horse battery';

async function expectCoded(p: Promise<unknown>, err: { is(e: unknown): boolean }, text?: RegExp) {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e, 'expected a rejection').toBeDefined();
  expect(err.is(e), `unexpected error: ${String(e)}`).toBe(true);
  if (text) expect(String((e as Error).message)).toMatch(text);
}

let home: string;
beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'guts-keyring-'));
});
afterEach(async () => {
  await rm(home, { recursive: true, force: true });
});

describe.each<KeyringBackend>(['test', 'file'])('%s backend', (backend) => {
  const open = (extra: Partial<OpenKeyringOptions> = {}) =>
    openKeyring({ home, backend, ...(backend === 'file' ? { passphrase: PASS } : {}), ...extra });

  it('derives the same address as cosmjs DirectSecp256k1HdWallet', async () => {
    const kr = open();
    const added = await kr.add('alice', { mnemonic: MNEMONIC });
    const wallet = await DirectSecp256k1HdWallet.fromMnemonic(MNEMONIC, { prefix: 'guts' });
    const [acc] = await wallet.getAccounts();
    expect(added.address).toBe(acc.address);
    expect(added.address.startsWith('guts1')).toBe(true);
    expect(added.pubkey).toEqual({ '@type': '/cosmos.crypto.secp256k1.PubKey', key: Buffer.from(acc.pubkey).toString('base64') });
    expect(added.hdPath).toBe("m/44'/118'/0'/0/0");
    expect(added.mnemonic).toBe(MNEMONIC);
  });

  it('derives at --account/--index the address cosmjs derives at that path', async () => {
    const kr = open();
    const added = await kr.add('bob', { mnemonic: MNEMONIC, account: 2, index: 7 });
    const wallet = await DirectSecp256k1HdWallet.fromMnemonic(MNEMONIC, {
      prefix: 'guts',
      hdPaths: [stringToPath("m/44'/118'/2'/0/7")],
    });
    expect(added.address).toBe((await wallet.getAccounts())[0].address);
  });

  it('generates a 24-word mnemonic that recovers the same key', async () => {
    const kr = open();
    const added = await kr.add('fresh');
    expect(added.mnemonic.split(' ')).toHaveLength(24);
    await kr.delete('fresh');
    const again = await kr.add('fresh2', { mnemonic: `  ${added.mnemonic.replace(/ /g, '\n')} ` });
    expect(again.address).toBe(added.address);
  });

  it('lists, shows by name or address, and deletes', async () => {
    const kr = open();
    const b = await kr.add('bob', { mnemonic: MNEMONIC, index: 1 });
    const a = await kr.add('alice', { mnemonic: MNEMONIC });
    const list = await kr.list();
    expect(list.map((k) => k.name)).toEqual(['alice', 'bob']);
    expect(list[0]).not.toHaveProperty('mnemonic');
    expect((await kr.show('bob')).address).toBe(b.address);
    expect((await kr.show(a.address)).name).toBe('alice');
    await kr.delete('alice');
    expect((await kr.list()).map((k) => k.name)).toEqual(['bob']);
    await expectCoded(kr.show('alice'), ErrKeyNotFound);
    await expectCoded(kr.show(a.address), ErrKeyNotFound);
    await expectCoded(kr.delete('alice'), ErrKeyNotFound);
  });

  it('keys persist across keyring instances', async () => {
    const a = await open().add('alice', { mnemonic: MNEMONIC });
    expect((await open().show('alice')).address).toBe(a.address);
  });

  it('refuses a duplicate name and a duplicate key with ErrConflict', async () => {
    const kr = open();
    await kr.add('alice', { mnemonic: MNEMONIC });
    await expectCoded(kr.add('alice'), ErrConflict, /already exists/);
    await expectCoded(kr.add('alice2', { mnemonic: MNEMONIC }), ErrConflict, /already exists as "alice"/);
  });

  it('rejects invalid names and mnemonics', async () => {
    const kr = open();
    await expectCoded(kr.add('../evil'), ErrInvalidRequest);
    await expectCoded(kr.add('a/b'), ErrInvalidRequest);
    await expectCoded(kr.add('x', { mnemonic: 'abandon abandon abandon' }), ErrInvalidRequest, /invalid mnemonic/);
    await expectCoded(kr.add('x', { mnemonic: MNEMONIC.replace('about', 'abandon') }), ErrInvalidRequest, /checksum/);
    expect(await kr.list()).toEqual([]);
  });

  it('dry run derives without storing', async () => {
    const kr = open();
    const k = await kr.add('alice', { mnemonic: MNEMONIC, dryRun: true });
    expect(k.address.startsWith('guts1')).toBe(true);
    expect(await kr.list()).toEqual([]);
  });

  it('exports armor and imports it under another name (same address, no HD path)', async () => {
    const kr = open();
    const a = await kr.add('alice', { mnemonic: MNEMONIC });
    const armor = await kr.exportArmor('alice', 'export-pass');
    expect(armor).toMatch(/^-----BEGIN TENDERMINT PRIVATE KEY-----\n/);
    expect(armor).toMatch(/\nkdf: scrypt\n/);
    expect(armor).toMatch(/\ntype: secp256k1\n/);
    expect(armor).toMatch(/\n=[A-Za-z0-9+/]{4}\n-----END TENDERMINT PRIVATE KEY-----\n$/);
    await expectCoded(kr.importArmor('alice-copy', armor, 'export-pass'), ErrConflict); // same key already present
    await kr.delete('alice');
    await expectCoded(kr.importArmor('alice-copy', armor, 'wrong-pass'), ErrWrongPassword);
    const imported = await kr.importArmor('alice-copy', armor, 'export-pass');
    expect(imported.address).toBe(a.address);
    expect(imported.hdPath).toBeUndefined();
  });

  it('imported keys sign like the HD wallet of the original mnemonic', async () => {
    const kr = open();
    const a = await kr.add('alice', { mnemonic: MNEMONIC });
    const hex = await kr.exportPrivKeyHex('alice');
    expect(hex).toMatch(/^[0-9a-f]{64}$/);
    await kr.delete('alice');
    await kr.importPrivKeyHex('raw', hex);
    const signer = await kr.signer('raw');
    const wallet = await DirectSecp256k1HdWallet.fromMnemonic(MNEMONIC, { prefix: 'guts' });
    const [mine] = await signer.getAccounts();
    expect(mine.address).toBe(a.address);
    const doc = { bodyBytes: Uint8Array.of(1, 2), authInfoBytes: Uint8Array.of(3), chainId: 'guts-test', accountNumber: 4n };
    const s1 = await signer.signDirect(a.address, doc);
    const s2 = await wallet.signDirect(a.address, doc);
    expect(s1.signature).toEqual(s2.signature); // RFC 6979 deterministic signatures
  });

  it('rejects damaged armor and armor from other kdfs with clear coded errors', async () => {
    const kr = open();
    await kr.add('alice', { mnemonic: MNEMONIC });
    const armor = await kr.exportArmor('alice', 'export-pass');
    await kr.delete('alice');
    const lines = armor.split('\n');
    const body = lines.findIndex((l) => l === '') + 1;
    lines[body] = (lines[body][0] === 'A' ? 'B' : 'A') + lines[body].slice(1);
    await expectCoded(kr.importArmor('x', lines.join('\n'), 'export-pass'), ErrInvalidRequest, /checksum/);
    const bcrypt = armor.replace('kdf: scrypt', 'kdf: bcrypt');
    await expectCoded(kr.importArmor('x', bcrypt, 'export-pass'), ErrNotSupported, /import-hex/);
  });

  it('stores files 0600 in a 0700 directory', async () => {
    const kr = open();
    await kr.add('alice', { mnemonic: MNEMONIC });
    const dir = join(home, `keyring-${backend}`);
    expect(kr.dir).toBe(dir);
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    for (const f of await readdir(dir)) expect((await stat(join(dir, f))).mode & 0o777, f).toBe(0o600);
  });
});

describe('file backend encryption', () => {
  it('keeps no secret in clear text on disk', async () => {
    const kr = openKeyring({ home, backend: 'file', passphrase: PASS });
    const a = await kr.add('alice', { mnemonic: MNEMONIC });
    const hex = await kr.exportPrivKeyHex('alice');
    const text = await readFile(join(home, 'keyring-file', 'alice.info'), 'utf8');
    expect(text).not.toContain(hex);
    expect(text).not.toContain(a.address);
    expect(text).not.toContain('abandon');
  });

  it('a wrong passphrase is ErrWrongPassword and changes nothing', async () => {
    await openKeyring({ home, backend: 'file', passphrase: PASS }).add('alice', { mnemonic: MNEMONIC });
    const wrong = openKeyring({ home, backend: 'file', passphrase: 'not the passphrase' });
    await expectCoded(wrong.show('alice'), ErrWrongPassword);
    await expectCoded(wrong.add('bob'), ErrWrongPassword);
    await expectCoded(wrong.delete('alice'), ErrWrongPassword);
    expect(isError(await wrong.list().catch((e: unknown) => e), ErrWrongPassword)).toBe(true);
    expect((await openKeyring({ home, backend: 'file', passphrase: PASS }).list()).map((k) => k.name)).toEqual(['alice']);
  });

  it('asks a passphrase function only when needed, and retries it up to three times', async () => {
    await openKeyring({ home, backend: 'file', passphrase: PASS }).add('alice', { mnemonic: MNEMONIC });
    const asked: Array<{ create: boolean; attempt: number }> = [];
    const kr = openKeyring({
      home,
      backend: 'file',
      passphrase: async (req) => {
        asked.push({ create: req.create, attempt: req.attempt });
        return req.attempt < 3 ? 'wrong wrong' : PASS;
      },
    });
    await expectCoded(kr.show('nobody'), ErrKeyNotFound); // missing name: no decryption, no prompt
    expect(asked).toEqual([]);
    expect((await kr.show('alice')).name).toBe('alice');
    expect(asked).toEqual([
      { create: false, attempt: 1 },
      { create: false, attempt: 2 },
      { create: false, attempt: 3 },
    ]);
    await kr.list();
    expect(asked).toHaveLength(3); // unlocked once per keyring
  });

  it('a new file keyring sets its passphrase on first write and needs at least 8 characters', async () => {
    const asked: boolean[] = [];
    const short = openKeyring({ home, backend: 'file', passphrase: 'short' });
    await expectCoded(short.add('alice'), ErrInvalidRequest, /at least 8/);
    const kr = openKeyring({
      home,
      backend: 'file',
      passphrase: async (req) => {
        asked.push(req.create);
        return PASS;
      },
    });
    await kr.add('alice', { mnemonic: MNEMONIC });
    expect(asked).toEqual([true]);
  });

  it('without any passphrase the file keyring refuses with a coded error', async () => {
    const kr = openKeyring({ home, backend: 'file' });
    expect(await kr.list()).toEqual([]);
    await expectCoded(kr.add('alice'), ErrInvalidRequest, /needs a passphrase/);
  });
});

describe('test backend', () => {
  it('stores plain JSON records under keyring-test like cosmos-sdk', async () => {
    const kr = openKeyring({ home, backend: 'test' });
    const a = await kr.add('alice', { mnemonic: MNEMONIC });
    const rec = JSON.parse(await readFile(join(home, 'keyring-test', 'alice.info'), 'utf8'));
    expect(rec).toMatchObject({ name: 'alice', type: 'local', algo: 'secp256k1', address: a.address });
    expect(rec).not.toHaveProperty('mnemonic');
  });

  it('refuses an unknown backend', () => {
    expect(() => openKeyring({ home, backend: 'os' as KeyringBackend })).toThrow(/unknown keyring backend/);
  });
});
