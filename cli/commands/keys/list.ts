import { Flags } from '@oclif/core';
import { BaseCommand } from '../../base.js';
import { keyOutput } from '../../key-output.js';
import { keyringFlags, openCliKeyring } from '../../keyring.js';

export default class KeysList extends BaseCommand<typeof KeysList> {
  static override summary = 'List all keys in the keyring.';
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --home ~/.guts-devnet --keyring-backend test -o json',
    '<%= config.bin %> <%= command.id %> --list-names',
  ];

  static override flags = {
    ...keyringFlags,
    'list-names': Flags.boolean({ char: 'n', summary: 'List names only, one per line.', default: false }),
  };

  async run(): Promise<void> {
    const keys = await (await openCliKeyring(this.home, this.flags)).list();
    if (this.flags['list-names']) {
      if (this.outputFormat === 'json') this.print(keys.map((k) => k.name));
      else for (const k of keys) process.stdout.write(k.name + '\n');
      return;
    }
    if (keys.length === 0 && this.outputFormat === 'text') {
      this.note('No records were found in keyring');
      return;
    }
    this.print(keys.map(keyOutput));
  }
}
