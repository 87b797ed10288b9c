import { TopicCommand } from '../../../topic.js';

export default class QueryStaking extends TopicCommand {
  static override summary = 'Staking queries: validators, delegations, the epoch and pools, params.';
  static override examples = ['<%= config.bin %> query staking validators --status bonded', '<%= config.bin %> query staking delegations guts1… -o json', '<%= config.bin %> query staking pool'];
  static override description = 'Queries of the guts.staking.v1 module, served by the node at /guts.staking.v1.Query/<Method>.';
}
