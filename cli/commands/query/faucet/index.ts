import { TopicCommand } from '../../../topic.js';

export default class QueryFaucet extends TopicCommand {
  static override summary = 'Testnet faucet: its account, parameters and what an address received.';
  static override examples = ['<%= config.bin %> query faucet info', '<%= config.bin %> query faucet recipient guts19rl4cm2hmr8afy4kldpxz3fka4jguq0a6h2up5'];
  static override description = 'Queries of guts.faucet.v1 (abci_query paths /guts.faucet.v1.Query/…).';
}
