import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../../base.js';
import { CliError } from '../../errors.js';
import { keyOutput } from '../../key-output.js';
import { keyringFlags, openCliKeyring } from '../../keyring.js';
import { isInteractive, promptLine, readStdin } from '../../prompt.js';

export default class KeysAdd extends BaseCommand<typeof KeysAdd> {
  static override summary = 'Create a new key, or recover one from a BIP39 mnemonic.';
  static override description = `Derives a secp256k1 key at m/44'/118'/<account>'/0/<index> from a BIP39 mnemonic (24 new words unless --recover) and stores it in the keyring under <name>. The address is the same one Keplr and cosmjs derive from that mnemonic with the prefix "guts".

The new mnemonic is printed once (to stderr in text output, in the "mnemonic" field with -o json) and is NOT stored: write it down. With --recover the mnemonic is read from the terminal, or from the first line of stdin when it is piped.`;

  static override examples = [
    { description: 'Create a key in the encrypted file keyring (asks for the keyring passphrase)', command: '<%= config.bin %> <%= command.id %> alice' },
    { description: 'Create a key in a devnet home, JSON output', command: '<%= config.bin %> <%= command.id %> bob --home ~/.guts-devnet --keyring-backend test -o json' },
    { description: 'Recover a key from a mnemonic on stdin', command: 'echo "$MNEMONIC" | <%= config.bin %> <%= command.id %> carol --recover --keyring-backend test' },
    { description: 'Second account from the same mnemonic', command: '<%= config.bin %> <%= command.id %> alice-2 --recover --index 1' },
  ];

  static override args = {
    name: Args.string({ description: 'name of the key', required: true }),
  };

  static override flags = {
    ...keyringFlags,
    recover: Flags.boolean({ summary: 'Recover the key from a mnemonic instead of creating a new one.', default: false }),
    account: Flags.integer({ summary: 'HD account number (the third level of the BIP44 path).', default: 0, min: 0 }),
    index: Flags.integer({ summary: 'HD address index (the last level of the BIP44 path).', default: 0, min: 0 }),
    'mnemonic-words': Flags.option({ summary: 'Words in a new mnemonic.', options: ['12', '24'] as const, default: '24' })(),
    'no-backup': Flags.boolean({ summary: 'Do not print the new mnemonic.', default: false }),
    'dry-run': Flags.boolean({ summary: 'Derive and print the key without storing it.', default: false }),
  };

  async run(): Promise<void> {
    const { flags, args } = this;
    let mnemonic: string | undefined;
    if (flags.recover) {
      mnemonic = isInteractive() ? await promptLine('> Enter your bip39 mnemonic\n') : (await readStdin()).split('\n').find((l) => l.trim() !== '');
      if (!mnemonic?.trim()) throw new CliError('no mnemonic given: type it at the prompt, or pipe it on stdin with --recover');
    }
    const keyring = await openCliKeyring(this.home, flags);
    const key = await keyring.add(args.name, {
      mnemonic,
      account: flags.account,
      index: flags.index,
      words: Number(flags['mnemonic-words']) as 12 | 24,
      dryRun: flags['dry-run'],
    });
    const showMnemonic = !flags.recover && !flags['no-backup'];
    if (this.outputFormat === 'json') {
      this.print(showMnemonic ? { ...keyOutput(key), mnemonic: key.mnemonic } : keyOutput(key));
      return;
    }
    this.print([keyOutput(key)]);
    if (showMnemonic) {
      this.note('\n**Important** write this mnemonic phrase in a safe place.');
      this.note('It is the only way to recover your account if you ever forget your password.\n');
      this.note(key.mnemonic);
    }
  }
}
