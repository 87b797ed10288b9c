import { Args } from '@oclif/core';
import { QueryReputationRequest, QueryReputationResponse } from '../../../../proto/gen/guts/sybil/v1/query.js';
import { parseAddress } from '../../../args.js';
import { parseHeight } from '../../../args.js';
import { BaseCommand } from '../../../base.js';
import { CliError } from '../../../errors.js';
import { describeQueryError } from '../../../node-client.js';
import { abciRpc, queryFlags, withNode } from '../../../query.js';

export default class QuerySybilReputation extends BaseCommand<typeof QuerySybilReputation> {
  static override summary = 'Show an identity’s on-chain history and its reputation discount.';
  static override description = 'The discount (basis points, at most 5000) grows with account age in epochs and successful gated actions and shrinks with slashes.';
  static override examples = ['<%= config.bin %> <%= command.id %> guts19rl4cm2hmr8afy4kldpxz3fka4jguq0a6h2up5'];
  static override args = {
    address: Args.string({ description: 'guts1… address', required: true }),
  };
  static override flags = { ...queryFlags };

  async run(): Promise<void> {
    const { args, flags } = this;
    const height = parseHeight(flags.height);
    const out = await withNode(this.home, flags, async (node) => {
      const rpc = abciRpc(node, height);
      try {
        const address = parseAddress(args.address);
        const r = QueryReputationResponse.decode(await rpc.request('guts.sybil.v1.Query', 'Reputation', QueryReputationRequest.encode({ address }).finish()));
        const rep = r.reputation!;
        return { address, first_seen_height: rep.firstSeenHeight.toString(), successful_actions: rep.successfulActions.toString(), slashes: rep.slashes.toString(), age_epochs: r.ageEpochs.toString(), discount_bp: r.discountBp };
      } catch (err) {
        throw new CliError(describeQueryError(err).message);
      }
    });
    this.print(out);
  }
}
