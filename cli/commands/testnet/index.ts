import { TopicCommand } from '../../topic.js';

export default class Testnet extends TopicCommand {
  static override summary = 'Multi-validator testnets: generate node homes that share a genesis.';
  static override examples = ['<%= config.bin %> testnet init --validators 4 --output-dir /tmp/guts-4'];
  static override description = 'testnet init writes one home per validator (keys, config with local ports and p2p bootstrap addresses, the shared genesis) and a testnet.json manifest.';
}
