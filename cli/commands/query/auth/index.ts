import { TopicCommand } from '../../../topic.js';

export default class QueryAuth extends TopicCommand {
  static override summary = 'Auth queries: accounts.';
  static override description = 'Queries of the cosmos.auth.v1beta1 module.';
}
