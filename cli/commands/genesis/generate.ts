import TestnetInit from '../testnet/init.js';

/** `guts genesis generate` is `guts testnet init` under the name DESIGN §9 gives it. */
export default class GenesisGenerate extends TestnetInit {
  static override summary = 'Generate a testnet genesis and its node homes from a config (same as `guts testnet init`).';
  static override examples = ['<%= config.bin %> <%= command.id %> --config testnet/config.yml --output-dir ./testnet-local'];
}
