import { TopicCommand } from '../../topic.js';

export default class Genesis extends TopicCommand {
  static override summary = 'Genesis files: validate one, or generate a testnet\'s from a config.';
  static override examples = ['<%= config.bin %> genesis validate ~/.guts/config/genesis.json', '<%= config.bin %> genesis generate --config testnet/config.yml --output-dir ./testnet-local'];
  static override description = 'genesis validate checks a file the way `guts start` does; genesis generate is `guts testnet init`.';
}
