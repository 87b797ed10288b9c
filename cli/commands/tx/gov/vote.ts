import { Args } from '@oclif/core';
import { MsgVote } from '../../../../proto/gen/guts/gov/v1/tx.js';
import { ErrInvalidProposalId, ErrInvalidVote } from '../../../../modules/gov/errors.js';
import { VOTE_OPTIONS } from '../../../../modules/gov/json.js';
import { MSG_VOTE } from '../../../../modules/gov/msgs.js';
import { BaseCommand, yaml } from '../../../base.js';
import { registerJsonCodec } from '../../../format/proto-json.js';
import { txResponseText } from '../../../format/tx-response.js';
import { signAndBroadcast, txFlags } from '../../../tx.js';

registerJsonCodec(MSG_VOTE, MsgVote as never);

export default class TxGovVote extends BaseCommand<typeof TxGovVote> {
  static override summary = 'Vote on a proposal in its voting period.';
  static override description = `A validator's vote carries its bonded stake; a delegator's vote overrides its validators' votes for its own delegations. A later vote replaces an earlier one. Options: yes, no, abstain, no_with_veto (NoWithVeto at or above veto_bps of the votes rejects the proposal and burns its deposit).`;
  static override usage = '<%= command.id %> FROM_KEY_OR_ADDRESS PROPOSAL_ID OPTION [FLAGS]';
  static override examples = [
    { description: 'Vote yes on proposal 3', command: '<%= config.bin %> <%= command.id %> val1 3 yes -y' },
    { description: 'Veto-vote and wait for the block', command: '<%= config.bin %> <%= command.id %> alice 3 no_with_veto -y --broadcast-mode block' },
  ];
  static override args = {
    from: Args.string({ description: 'key name or address in the keyring that votes and pays', required: true }),
    proposal_id: Args.string({ description: 'proposal id', required: true }),
    option: Args.string({ description: 'yes | no | abstain | no_with_veto', required: true }),
  };
  static override flags = { ...txFlags };

  async run(): Promise<void> {
    const { flags, args } = this;
    if (!/^[1-9][0-9]{0,18}$/.test(args.proposal_id)) throw ErrInvalidProposalId.wrap(`${JSON.stringify(args.proposal_id)} is not a proposal id (a positive integer)`);
    const name = args.option.toLowerCase().replace(/-/g, '_');
    const option = VOTE_OPTIONS.find(([, n]) => n === name)?.[0];
    if (option === undefined) throw ErrInvalidVote.wrap(`${JSON.stringify(args.option)} is not one of ${VOTE_OPTIONS.map(([, n]) => n).join(', ')}`);
    const proposalId = BigInt(args.proposal_id);
    const result = await signAndBroadcast({
      home: this.home,
      flags,
      from: args.from,
      messages: (voter) => [{ typeUrl: MSG_VOTE, value: MsgVote.fromPartial({ proposalId, voter, option }) }],
      show: (unsigned) => this.note(this.outputFormat === 'json' ? JSON.stringify(unsigned, null, 2) : yaml(unsigned)),
      note: (m) => this.note(m),
    });
    if (result.status === 'cancelled') return;
    this.print(result.response, txResponseText);
    if (result.response.code !== 0) this.exit(1);
  }
}
