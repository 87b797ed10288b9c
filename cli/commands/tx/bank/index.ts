import { TopicCommand } from '../../../topic.js';

export default class TxBank extends TopicCommand {
  static override summary = 'Bank transactions: send coins.';
  static override examples = ['<%= config.bin %> tx bank send alice guts19rl4cm2hmr8afy4kldpxz3fka4jguq0a6h2up5 1000ugut -y'];
  static override description = 'Messages of the cosmos.bank.v1beta1 module.';
}
