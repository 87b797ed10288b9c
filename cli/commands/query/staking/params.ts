import * as Q from '../../../../proto/gen/guts/staking/v1/query.js';
import { paramsFromProto, stakingParamsToJson } from '../../../../modules/staking/params.js';
import { parseHeight } from '../../../args.js';
import { BaseCommand } from '../../../base.js';
import { CliError } from '../../../errors.js';
import { describeQueryError } from '../../../node-client.js';
import { abciRpc, queryFlags, withNode } from '../../../query.js';

export default class QueryStakingParams extends BaseCommand<typeof QueryStakingParams> {
  static override summary = 'Show the staking parameters.';
  static override description = 'Amounts in the bond denom, lock_period in seconds of block time, epoch_length in blocks, community_tax in basis points. The values are the strings a parameter-change proposal (module staking) takes as old and new value; bond_denom is fixed at genesis.';
  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> -o json'];
    static override flags = { ...queryFlags };

  async run(): Promise<void> {
    const height = parseHeight(this.flags.height);
    const query = async (call: (m: string, d: Uint8Array) => Promise<Uint8Array>) =>
      stakingParamsToJson(paramsFromProto(Q.QueryParamsResponse.decode(await call('Params', Q.QueryParamsRequest.encode({}).finish())).params!));
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
