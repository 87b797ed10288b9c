import { Args } from '@oclif/core';
import * as Q from '../../../../proto/gen/guts/staking/v1/query.js';
import { delegationsJson } from '../../../../modules/staking/client.js';
import { parseAddress, parseHeight } from '../../../args.js';
import { BaseCommand } from '../../../base.js';
import { CliError } from '../../../errors.js';
import { describeQueryError } from '../../../node-client.js';
import { abciRpc, queryFlags, withNode } from '../../../query.js';

export default class QueryStakingDelegations extends BaseCommand<typeof QueryStakingDelegations> {
  static override summary = 'Show an account\'s delegations, rewards, unbonding entries, redelegations and queued changes.';
  static override description = 'tokens is what each delegation is worth now, rewards what MsgWithdrawRewards would pay from it; unbonding entries pay out at completion_time (unix seconds); pending changes apply at the end of the epoch.';
  static override examples = ['<%= config.bin %> <%= command.id %> guts1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc5lzv7xu -o json'];
  static override args = {
    address: Args.string({ description: 'delegator address (guts1…)', required: true }),
  };
  static override flags = { ...queryFlags };

  async run(): Promise<void> {
    const height = parseHeight(this.flags.height);
    const delegatorAddress = parseAddress(this.args.address, 'delegator');
    const query = async (call: (m: string, d: Uint8Array) => Promise<Uint8Array>) =>
      delegationsJson(Q.QueryDelegationsResponse.decode(await call('Delegations', Q.QueryDelegationsRequest.encode({ delegatorAddress }).finish())));
    const out = await withNode(this.home, this.flags, async (node) => {
      const rpc = abciRpc(node, height);
      try {
        return await query((method, data) => rpc.request('guts.staking.v1.Query', method, data));
      } catch (err) {
        throw new CliError(describeQueryError(err).message);
      }
    });
    this.print(out);
  }
}
