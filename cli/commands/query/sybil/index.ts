import { TopicCommand } from '../../../topic.js';

export default class QuerySybil extends TopicCommand {
  static override summary = 'Sybil resistance: stake needed per action, reputation, proof-of-work challenges.';
  static override examples = ['<%= config.bin %> query sybil can-perform guts19rl4cm2hmr8afy4kldpxz3fka4jguq0a6h2up5 create_repo'];
  static override description = 'Queries of guts.sybil.v1 (abci_query paths /guts.sybil.v1.Query/…).';
}
