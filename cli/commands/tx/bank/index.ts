import { TopicCommand } from '../../../topic.js';

export default class TxBank extends TopicCommand {
  static override summary = 'Bank transactions: send coins.';
  static override description = 'Messages of the cosmos.bank.v1beta1 module.';
}
