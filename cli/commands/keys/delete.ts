import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../../base.js';
import { CliError } from '../../errors.js';
import { keyringFlags, openCliKeyring } from '../../keyring.js';
import { confirm, isInteractive } from '../../prompt.js';

export default class KeysDelete extends BaseCommand<typeof KeysDelete> {
  static override summary = 'Delete a key from the keyring.';
  static override description =
    'Asks for confirmation on a terminal; pass -y to skip it (required when stdin is not a terminal). A deleted key can only be recovered from its mnemonic or an export.';

  static override examples = ['<%= config.bin %> <%= command.id %> alice', '<%= config.bin %> <%= command.id %> alice -y --keyring-backend test'];

  static override args = {
    name: Args.string({ description: 'key name or guts1… address', required: true }),
  };

  static override flags = {
    ...keyringFlags,
    yes: Flags.boolean({ char: 'y', summary: 'Skip the confirmation prompt.', default: false }),
    force: Flags.boolean({ char: 'f', summary: 'Same as --yes (simd compatibility).', default: false, hidden: true }),
  };

  async run(): Promise<void> {
    const keyring = await openCliKeyring(this.home, this.flags);
    const key = await keyring.show(this.args.name);
    if (!this.flags.yes && !this.flags.force) {
      if (!isInteractive()) throw new CliError(`refusing to delete "${key.name}" without confirmation: stdin is not a terminal; pass -y to delete`);
      if (!(await confirm(`Key "${key.name}" (${key.address}) will be deleted. Continue?`))) {
        this.note('Key not deleted');
        return;
      }
    }
    await keyring.delete(key.name);
    this.note(`Key "${key.name}" deleted forever (uh oh!)`);
  }
}
