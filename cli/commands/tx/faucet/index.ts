import { TopicCommand } from '../../../topic.js';

export default class TxFaucet extends TopicCommand {
  static override summary = 'Testnet faucet: request tokens.';
  static override examples = ['<%= config.bin %> tx faucet request guts19rl4cm2hmr8afy4kldpxz3fka4jguq0a6h2up5 --url http://127.0.0.1:8000', '<%= config.bin %> tx faucet request guts19rl4cm2hmr8afy4kldpxz3fka4jguq0a6h2up5 --from operator -y'];
  static override description = 'Messages of guts.faucet.v1.';
}
