/** Keyring flags shared by `keys …` and `tx …`, and opening the keyring they select. */
import { Flags } from '@oclif/core';
import { KEYRING_BACKENDS, openKeyring, type Keyring, type KeyringBackend, type PassphraseSource } from '../app/keyring/index.js';
import { clientConfigPath, readClientConfig } from './client-config.js';
import { CliError } from './errors.js';
import { isInteractive, promptHidden } from './prompt.js';

export const keyringFlags = {
  'keyring-backend': Flags.string({
    summary: 'Keyring backend: file (encrypted) or test (plain text, devnets only).',
    description:
      'Default: the keyring-backend in <home>/config/client.toml, else "file". ' +
      '`guts devnet` writes keyring-backend = "test" there, so devnet homes use the test keyring.',
    options: [...KEYRING_BACKENDS],
    env: 'GUTS_KEYRING_BACKEND',
    helpGroup: 'KEYRING',
  }),
  'keyring-passphrase': Flags.string({
    summary: 'Passphrase of the file keyring; asked for on a terminal when not given.',
    env: 'GUTS_KEYRING_PASSPHRASE',
    helpGroup: 'KEYRING',
  }),
};

export interface KeyringFlagValues {
  'keyring-backend'?: string;
  'keyring-passphrase'?: string;
}

export async function resolveBackend(home: string, flag: string | undefined): Promise<KeyringBackend> {
  if (flag !== undefined) return flag as KeyringBackend;
  const fromConfig = (await readClientConfig(home))['keyring-backend'];
  if (fromConfig === undefined) return 'file';
  if (!(KEYRING_BACKENDS as readonly string[]).includes(fromConfig)) {
    throw new CliError(
      `keyring-backend "${fromConfig}" in ${clientConfigPath(home)} is not supported: use ${KEYRING_BACKENDS.join(' or ')}`,
    );
  }
  return fromConfig as KeyringBackend;
}

/** Prompt on a terminal (twice when the keyring is new); refuse clearly when there is none. */
function promptPassphrase(): PassphraseSource {
  return async ({ dir, create, attempt }) => {
    if (!isInteractive()) {
      throw new CliError(
        `the file keyring at ${dir} needs its passphrase: pass --keyring-passphrase or set GUTS_KEYRING_PASSPHRASE ` +
          '(stdin is not a terminal, so it cannot be asked for)',
      );
    }
    if (!create) return promptHidden(attempt === 1 ? 'Enter keyring passphrase: ' : `Wrong passphrase, try again (attempt ${attempt}/3): `);
    const first = await promptHidden(`Enter a passphrase for the new keyring at ${dir}: `);
    const again = await promptHidden('Re-enter keyring passphrase: ');
    if (first !== again) throw new CliError('the passphrases do not match');
    return first;
  };
}

export async function openCliKeyring(home: string, flags: KeyringFlagValues): Promise<Keyring> {
  const backend = await resolveBackend(home, flags['keyring-backend']);
  const passphrase = flags['keyring-passphrase'] ?? promptPassphrase();
  return openKeyring({ home, backend, passphrase });
}
