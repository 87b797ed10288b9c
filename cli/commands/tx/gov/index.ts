import { TopicCommand } from '../../../topic.js';

export default class TxGov extends TopicCommand {
  static override summary = 'Governance transactions: submit proposals, vote, veto in the time-lock.';
  static override examples = [
    '<%= config.bin %> tx gov submit-proposal parameter-change val1 staking max_validators 100 120 --title "More validators" -y',
    '<%= config.bin %> tx gov vote val1 3 yes -y',
    '<%= config.bin %> tx gov veto val2 3 -y',
  ];
  static override description = 'Messages of the guts.gov.v1 module. Proposals are submitted by active validators holding proposal_threshold stake; see `guts query gov params`.';
}
