import { TopicCommand } from '../../../../topic.js';

export default class TxGovSubmitProposal extends TopicCommand {
  static override summary = 'Submit a proposal: parameter-change, protocol-upgrade, emergency, treasury-spend.';
  static override examples = [
    '<%= config.bin %> tx gov submit-proposal parameter-change val1 gov quorum_bps 3340 4000 --title "Raise quorum" -y',
    '<%= config.bin %> tx gov submit-proposal protocol-upgrade val1 v2 2.0.0 120000 --info https://example.org/v2 -y',
    '<%= config.bin %> tx gov submit-proposal emergency val1 pause bank --justification "exploit in MsgSend" -y',
    '<%= config.bin %> tx gov submit-proposal treasury-spend val1 guts19rl4cm2hmr8afy4kldpxz3fka4jguq0a6h2up5 5000000ugut --purpose "audit" -y',
  ];
  static override description = 'The proposer must operate an active validator holding proposal_threshold bonded stake; min_deposit is taken from it and refunded when voting ends (burned if NoWithVeto rejects the proposal).';
}
