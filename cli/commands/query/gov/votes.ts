import { Args } from '@oclif/core';
import { QueryVotesRequest, QueryVotesResponse } from '../../../../proto/gen/guts/gov/v1/query.js';
import { ErrInvalidProposalId } from '../../../../modules/gov/errors.js';
import { OPTION_NAMES } from '../../../../modules/gov/json.js';
import { parseHeight } from '../../../args.js';
import { BaseCommand } from '../../../base.js';
import { CliError } from '../../../errors.js';
import { describeQueryError } from '../../../node-client.js';
import { abciRpc, queryFlags, withNode } from '../../../query.js';

export default class QueryGovVotes extends BaseCommand<typeof QueryGovVotes> {
  static override summary = 'List the votes cast on a proposal.';
  static override description = 'One line per voter (validator operators and delegators), with the option of its last vote. Votes stay listed after voting ends.';
  static override examples = ['<%= config.bin %> <%= command.id %> 3', '<%= config.bin %> <%= command.id %> 3 -o json'];
  static override args = { proposal_id: Args.string({ description: 'proposal id', required: true }) };
  static override flags = { ...queryFlags };

  async run(): Promise<void> {
    if (!/^[1-9][0-9]{0,18}$/.test(this.args.proposal_id)) throw ErrInvalidProposalId.wrap(`${JSON.stringify(this.args.proposal_id)} is not a proposal id (a positive integer)`);
    const height = parseHeight(this.flags.height);
    const votes = await withNode(this.home, this.flags, async (node) => {
      try {
        const req = QueryVotesRequest.encode({ proposalId: BigInt(this.args.proposal_id) }).finish();
        const r = QueryVotesResponse.decode(await abciRpc(node, height).request('guts.gov.v1.Query', 'Votes', req));
        return r.votes.map((v) => ({ proposal_id: v.proposalId.toString(), voter: v.voter, option: OPTION_NAMES[v.option] }));
      } catch (err) {
        throw new CliError(describeQueryError(err).message);
      }
    });
    this.print({ votes });
  }
}
