import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../../base.js';
import { keyOutput } from '../../key-output.js';
import { keyringFlags, openCliKeyring } from '../../keyring.js';

export default class KeysShow extends BaseCommand<typeof KeysShow> {
  static override summary = 'Show a key by name or address.';
  static override examples = [
    '<%= config.bin %> <%= command.id %> alice',
    { description: 'Print only the address (for scripts)', command: 'ADDR=$(<%= config.bin %> <%= command.id %> alice -a)' },
    '<%= config.bin %> <%= command.id %> guts1q0... -o json',
  ];

  static override args = {
    name: Args.string({ description: 'key name or guts1… address', required: true }),
  };

  static override flags = {
    ...keyringFlags,
    address: Flags.boolean({ char: 'a', summary: 'Print only the address.', default: false, exclusive: ['pubkey'] }),
    pubkey: Flags.boolean({ char: 'p', summary: 'Print only the public key (proto JSON).', default: false }),
  };

  async run(): Promise<void> {
    const key = await (await openCliKeyring(this.home, this.flags)).show(this.args.name);
    if (this.flags.address) process.stdout.write(key.address + '\n');
    else if (this.flags.pubkey) process.stdout.write(JSON.stringify(key.pubkey) + '\n');
    else this.print(keyOutput(key));
  }
}
