import { Args } from '@oclif/core';
import { MsgVeto } from '../../../../proto/gen/guts/gov/v1/tx.js';
import { ErrInvalidProposalId } from '../../../../modules/gov/errors.js';
import { MSG_VETO } from '../../../../modules/gov/msgs.js';
import { BaseCommand, yaml } from '../../../base.js';
import { registerJsonCodec } from '../../../format/proto-json.js';
import { txResponseText } from '../../../format/tx-response.js';
import { signAndBroadcast, txFlags } from '../../../tx.js';

registerJsonCodec(MSG_VETO, MsgVeto as never);

export default class TxGovVeto extends BaseCommand<typeof TxGovVeto> {
  static override summary = 'Veto a passed proposal while it waits in the time-lock.';
  static override description = `Only operators of active validators may veto. The proposal is cancelled (status vetoed) once the validators that vetoed it hold timelock_veto_bps of the bonded stake (default 3334 bp, a third). \`guts query gov proposals --status queued\` lists the proposals in the time-lock with their execution time and the stake that vetoed so far.`;
  static override usage = '<%= command.id %> VALIDATOR_KEY_OR_ADDRESS PROPOSAL_ID [FLAGS]';
  static override examples = ['<%= config.bin %> <%= command.id %> val2 3 -y'];
  static override args = {
    from: Args.string({ description: 'key name or address of the validator operator', required: true }),
    proposal_id: Args.string({ description: 'id of a queued proposal', required: true }),
  };
  static override flags = { ...txFlags };

  async run(): Promise<void> {
    const { flags, args } = this;
    if (!/^[1-9][0-9]{0,18}$/.test(args.proposal_id)) throw ErrInvalidProposalId.wrap(`${JSON.stringify(args.proposal_id)} is not a proposal id (a positive integer)`);
    const proposalId = BigInt(args.proposal_id);
    const result = await signAndBroadcast({
      home: this.home,
      flags,
      from: args.from,
      messages: (validator) => [{ typeUrl: MSG_VETO, value: MsgVeto.fromPartial({ proposalId, validator }) }],
      show: (unsigned) => this.note(this.outputFormat === 'json' ? JSON.stringify(unsigned, null, 2) : yaml(unsigned)),
      note: (m) => this.note(m),
    });
    if (result.status === 'cancelled') return;
    this.print(result.response, txResponseText);
    if (result.response.code !== 0) this.exit(1);
  }
}
