import { Args } from '@oclif/core';
import { QueryProposalRequest, QueryProposalResponse } from '../../../../proto/gen/guts/gov/v1/query.js';
import { ErrInvalidProposalId } from '../../../../modules/gov/errors.js';
import { proposalToJson, tallyToJson } from '../../../../modules/gov/json.js';
import { parseHeight } from '../../../args.js';
import { BaseCommand } from '../../../base.js';
import { CliError } from '../../../errors.js';
import { describeQueryError } from '../../../node-client.js';
import { abciRpc, queryFlags, withNode } from '../../../query.js';

export default class QueryGovProposal extends BaseCommand<typeof QueryGovProposal> {
  static override summary = 'Show one proposal with its content, status, tally and deposit.';
  static override description = 'For a proposal still voting, `tally` is what voting would give if it ended now; `final_tally` is set when voting ends. `timelock_veto_power` is the bonded stake of the validators that vetoed a queued proposal so far.';
  static override examples = ['<%= config.bin %> <%= command.id %> 3', '<%= config.bin %> <%= command.id %> 3 -o json --height 1200'];
  static override args = { proposal_id: Args.string({ description: 'proposal id', required: true }) };
  static override flags = { ...queryFlags };

  async run(): Promise<void> {
    if (!/^[1-9][0-9]{0,18}$/.test(this.args.proposal_id)) throw ErrInvalidProposalId.wrap(`${JSON.stringify(this.args.proposal_id)} is not a proposal id (a positive integer)`);
    const height = parseHeight(this.flags.height);
    const out = await withNode(this.home, this.flags, async (node) => {
      try {
        const req = QueryProposalRequest.encode({ proposalId: BigInt(this.args.proposal_id) }).finish();
        const r = QueryProposalResponse.decode(await abciRpc(node, height).request('guts.gov.v1.Query', 'Proposal', req));
        return { ...(proposalToJson(r.proposal!) as object), tally: tallyToJson(r.tally!), timelock_veto_power: r.timelockVetoPower };
      } catch (err) {
        throw new CliError(describeQueryError(err).message);
      }
    });
    this.print(out);
  }
}
