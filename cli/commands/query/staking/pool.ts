import * as Q from '../../../../proto/gen/guts/staking/v1/query.js';
import { recordToJson } from '../../../../modules/staking/json.js';
import { EPOCH_SPEC } from '../../../../modules/staking/genesis-spec.js';
import { parseHeight } from '../../../args.js';
import { BaseCommand } from '../../../base.js';
import { CliError } from '../../../errors.js';
import { describeQueryError } from '../../../node-client.js';
import { abciRpc, queryFlags, withNode } from '../../../query.js';

export default class QueryStakingPool extends BaseCommand<typeof QueryStakingPool> {
  static override summary = 'Show the epoch and the staked totals.';
  static override description = 'Tokens in the bonded and not-bonded pools, the total power of the active set, the current epoch and the height of the block that ends it (where queued stake changes apply).';
  static override examples = ['<%= config.bin %> <%= command.id %>'];
    static override flags = { ...queryFlags };

  async run(): Promise<void> {
    const height = parseHeight(this.flags.height);
    const query = async (call: (m: string, d: Uint8Array) => Promise<Uint8Array>) => {
      const r = Q.QueryPoolResponse.decode(await call('Pool', Q.QueryPoolRequest.encode({}).finish()));
      return { bonded_tokens: r.bondedTokens, not_bonded_tokens: r.notBondedTokens, total_power: r.totalPower.toString(), epoch: recordToJson(EPOCH_SPEC, r.epoch!), epoch_end_height: r.epochEndHeight.toString() };
    };
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
