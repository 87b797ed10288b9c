import { TopicCommand } from '../../../topic.js';

export default class TxSlashing extends TopicCommand {
  static override summary = 'Slashing transactions: unjail a validator.';
  static override examples = ['<%= config.bin %> tx slashing unjail val1 -y'];
  static override description = 'Messages of the guts.slashing.v1 module. A validator jailed for downtime may unjail once its jail period (downtime_jail_duration) is over; a validator tombstoned for double signing never can.';
}
