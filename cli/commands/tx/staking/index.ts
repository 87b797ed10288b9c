import { TopicCommand } from '../../../topic.js';

export default class TxStaking extends TopicCommand {
  static override summary = 'Staking transactions: create and edit validators, stake, unstake, redelegate, withdraw rewards.';
  static override examples = [
    '<%= config.bin %> tx staking create-validator val1 100000ugut --moniker val1 -y',
    '<%= config.bin %> tx staking stake alice guts1… 5000ugut -y',
    '<%= config.bin %> tx staking withdraw-rewards alice -y',
  ];
  static override description = 'Messages of the guts.staking.v1 module. Stake, unstake and redelegate are queued and applied at the end of the epoch (see `guts query staking pool`); unstaked tokens stay locked for lock_period, then are paid back automatically.';
}
