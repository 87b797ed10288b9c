import { TopicCommand } from '../../../topic.js';

export default class QueryRepo extends TopicCommand {
  static override summary = 'Repository registry: repos, refs, anchors.';
  static override examples = ['<%= config.bin %> query repo list guts19rl4cm2hmr8afy4kldpxz3fka4jguq0a6h2up5', '<%= config.bin %> query repo ref guts19rl4cm2hmr8afy4kldpxz3fka4jguq0a6h2up5/guts refs/heads/main'];
  static override description = 'Queries of guts.repo.v1 (abci_query paths /guts.repo.v1.Query/…).';
}
