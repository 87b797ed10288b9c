import * as Q from '../../../../proto/gen/guts/slashing/v1/query.js';
import { slashingParamsToJson } from '../../../../modules/slashing/params.js';
import { parseHeight } from '../../../args.js';
import { BaseCommand } from '../../../base.js';
import { CliError } from '../../../errors.js';
import { describeQueryError } from '../../../node-client.js';
import { abciRpc, queryFlags, withNode } from '../../../query.js';

export default class QuerySlashingParams extends BaseCommand<typeof QuerySlashingParams> {
  static override summary = 'Show the slashing parameters.';
  static override description = 'signed_blocks_window in votes, downtime_jail_duration in seconds of block time, min_signed_per_window and the slash fractions in basis points (500 = 5%). The values are the strings a parameter-change proposal (module slashing) takes as old and new value.';
  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> -o json'];
  static override flags = { ...queryFlags };

  async run(): Promise<void> {
    const height = parseHeight(this.flags.height);
    const out = await withNode(this.home, this.flags, async (node) => {
      try {
        const raw = await abciRpc(node, height).request('guts.slashing.v1.Query', 'Params', Q.QueryParamsRequest.encode({}).finish());
        return slashingParamsToJson(Q.QueryParamsResponse.decode(raw).params!);
      } catch (err) {
        throw new CliError(describeQueryError(err).message);
      }
    });
    this.print(out);
  }
}
