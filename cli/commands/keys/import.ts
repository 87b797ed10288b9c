import { Args, Flags } from '@oclif/core';
import { readFile } from 'node:fs/promises';
import { BaseCommand } from '../../base.js';
import { CliError } from '../../errors.js';
import { keyOutput } from '../../key-output.js';
import { keyringFlags, openCliKeyring } from '../../keyring.js';
import { isInteractive, promptHidden, readStdin } from '../../prompt.js';

export default class KeysImport extends BaseCommand<typeof KeysImport> {
  static override summary = 'Import a private key from an ASCII-armored export.';
  static override description =
    'Reads a key written by `guts keys export` from <keyfile> ("-" for stdin) and stores it under <name>. The export passphrase is asked for on a terminal, or given with --armor-passphrase / $GUTS_ARMOR_PASSPHRASE. Keys exported by simd (bcrypt armor) cannot be read; export them with `simd keys export --unarmored-hex --unsafe` and use `guts keys import-hex`.';

  static override examples = [
    '<%= config.bin %> <%= command.id %> alice alice.armor',
    'cat alice.armor | <%= config.bin %> <%= command.id %> alice - --armor-passphrase "$PASS" --keyring-backend test',
  ];

  static override args = {
    name: Args.string({ description: 'name for the imported key', required: true }),
    keyfile: Args.string({ description: 'armored key file, or - for stdin', required: true }),
  };

  static override flags = {
    ...keyringFlags,
    'armor-passphrase': Flags.string({ summary: 'Passphrase the key was exported with.', env: 'GUTS_ARMOR_PASSPHRASE' }),
  };

  async run(): Promise<void> {
    const { flags, args } = this;
    let armor: string;
    try {
      armor = args.keyfile === '-' ? await readStdin() : await readFile(args.keyfile, 'utf8');
    } catch (err) {
      throw new CliError(`cannot read ${args.keyfile}: ${(err as Error).message}`);
    }
    let passphrase = flags['armor-passphrase'];
    if (passphrase === undefined) {
      if (!isInteractive() || args.keyfile === '-') {
        throw new CliError('no passphrase for the exported key: pass --armor-passphrase or set GUTS_ARMOR_PASSPHRASE');
      }
      passphrase = await promptHidden('Enter passphrase to decrypt your key: ');
    }
    const keyring = await openCliKeyring(this.home, flags);
    this.print(keyOutput(await keyring.importArmor(args.name, armor, passphrase)));
  }
}
