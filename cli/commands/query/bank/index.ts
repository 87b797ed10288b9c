import { TopicCommand } from '../../../topic.js';

export default class QueryBank extends TopicCommand {
  static override summary = 'Bank queries: balances.';
  static override description = 'Queries of the cosmos.bank.v1beta1 module.';
}
