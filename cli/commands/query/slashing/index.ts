import { TopicCommand } from '../../../topic.js';

export default class QuerySlashing extends TopicCommand {
  static override summary = 'Slashing queries: a validator\'s liveness record, params.';
  static override examples = ['<%= config.bin %> query slashing signing-info guts1…', '<%= config.bin %> query slashing params'];
  static override description = 'Queries of the guts.slashing.v1 module, served by the node at /guts.slashing.v1.Query/<Method>.';
}
