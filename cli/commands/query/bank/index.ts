import { TopicCommand } from '../../../topic.js';

export default class QueryBank extends TopicCommand {
  static override summary = 'Bank queries: balances.';
  static override examples = ['<%= config.bin %> query bank balances guts19rl4cm2hmr8afy4kldpxz3fka4jguq0a6h2up5 --denom ugut'];
  static override description = 'Queries of the cosmos.bank.v1beta1 module.';
}
