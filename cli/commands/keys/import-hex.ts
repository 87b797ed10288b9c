import { Args } from '@oclif/core';
import { BaseCommand } from '../../base.js';
import { keyOutput } from '../../key-output.js';
import { keyringFlags, openCliKeyring } from '../../keyring.js';

export default class KeysImportHex extends BaseCommand<typeof KeysImportHex> {
  static override summary = 'Import a raw secp256k1 private key given in hex.';
  static override description = 'The counterpart of `keys export --unarmored-hex --unsafe` (here or in simd). The hex appears in your shell history; prefer `keys import` with an armored export where you can.';
  static override examples = ['<%= config.bin %> <%= command.id %> alice 0c1d...e9f2 --keyring-backend test'];

  static override args = {
    name: Args.string({ description: 'name for the imported key', required: true }),
    hex: Args.string({ description: '32-byte private key in hex', required: true }),
  };

  static override flags = { ...keyringFlags };

  async run(): Promise<void> {
    const keyring = await openCliKeyring(this.home, this.flags);
    this.print(keyOutput(await keyring.importPrivKeyHex(this.args.name, this.args.hex)));
  }
}
