import { TopicCommand } from '../../../topic.js';

export default class QueryGov extends TopicCommand {
  static override summary = 'Governance queries: the proposal queue, a proposal, votes, params.';
  static override examples = ['<%= config.bin %> query gov proposals', '<%= config.bin %> query gov proposal 3 -o json', '<%= config.bin %> query gov params'];
  static override description = 'Queries of the guts.gov.v1 module, served by the node at /guts.gov.v1.Query/<Method>.';
}
