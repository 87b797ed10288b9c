import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../../base.js';
import { CliError } from '../../errors.js';
import { keyringFlags, openCliKeyring } from '../../keyring.js';
import { confirm, isInteractive, promptHidden } from '../../prompt.js';

export default class KeysExport extends BaseCommand<typeof KeysExport> {
  static override summary = 'Export a private key as encrypted ASCII armor.';
  static override description = `Prints the private key encrypted with an export passphrase (scrypt + AES-256-GCM) in the "TENDERMINT PRIVATE KEY" armor that \`guts keys import\` reads. The export passphrase is asked for on a terminal, or given with --armor-passphrase / $GUTS_ARMOR_PASSPHRASE.

With --unarmored-hex --unsafe the raw private key is printed in hex instead (for \`keys import-hex\` or other wallets). Anyone who sees it can spend the account's funds.`;

  static override examples = [
    '<%= config.bin %> <%= command.id %> alice > alice.armor',
    '<%= config.bin %> <%= command.id %> alice --unarmored-hex --unsafe',
  ];

  static override args = {
    name: Args.string({ description: 'key name or guts1… address', required: true }),
  };

  static override flags = {
    ...keyringFlags,
    'armor-passphrase': Flags.string({ summary: 'Passphrase that encrypts the exported key.', env: 'GUTS_ARMOR_PASSPHRASE' }),
    'unarmored-hex': Flags.boolean({ summary: 'Export the raw private key in hex (requires --unsafe).', default: false }),
    unsafe: Flags.boolean({ summary: 'Confirm that you understand the raw key is printed unencrypted.', default: false }),
    yes: Flags.boolean({ char: 'y', summary: 'Skip the confirmation prompt of --unarmored-hex.', default: false }),
  };

  async run(): Promise<void> {
    const { flags } = this;
    const keyring = await openCliKeyring(this.home, flags);
    if (flags['unarmored-hex']) {
      if (!flags.unsafe) throw new CliError('--unarmored-hex prints the private key unencrypted; add --unsafe to confirm');
      if (!flags.yes && isInteractive()) {
        const ok = await confirm('WARNING: The private key will be exported as an unarmored hexadecimal string. USE AT YOUR OWN RISK. Continue?');
        if (!ok) return;
      }
      process.stdout.write((await keyring.exportPrivKeyHex(this.args.name)) + '\n');
      return;
    }
    await keyring.show(this.args.name); // fail on a missing key before asking for a passphrase
    let passphrase = flags['armor-passphrase'];
    if (passphrase === undefined) {
      if (!isInteractive()) throw new CliError('no export passphrase: pass --armor-passphrase or set GUTS_ARMOR_PASSPHRASE (stdin is not a terminal)');
      passphrase = await promptHidden('Enter passphrase to encrypt the exported key: ');
      if ((await promptHidden('Re-enter passphrase: ')) !== passphrase) throw new CliError('the passphrases do not match');
    }
    process.stdout.write(await keyring.exportArmor(this.args.name, passphrase));
  }
}
