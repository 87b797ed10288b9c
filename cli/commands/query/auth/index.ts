import { TopicCommand } from '../../../topic.js';

export default class QueryAuth extends TopicCommand {
  static override summary = 'Auth queries: accounts.';
  static override examples = ['<%= config.bin %> query auth account guts19rl4cm2hmr8afy4kldpxz3fka4jguq0a6h2up5'];
  static override description = 'Queries of the cosmos.auth.v1beta1 module.';
}
