import { QueryParamsRequest, QueryParamsResponse } from '../../../../proto/gen/guts/gov/v1/query.js';
import { paramsFromProto } from '../../../../modules/gov/keeper.js';
import { govParamsToJson } from '../../../../modules/gov/params.js';
import { parseHeight } from '../../../args.js';
import { BaseCommand } from '../../../base.js';
import { CliError } from '../../../errors.js';
import { describeQueryError } from '../../../node-client.js';
import { abciRpc, queryFlags, withNode } from '../../../query.js';

export default class QueryGovParams extends BaseCommand<typeof QueryGovParams> {
  static override summary = 'Show the gov parameters.';
  static override description = 'Durations are seconds of block time, thresholds basis points (10000 = 100%), proposal_threshold bonded stake in base units. The values are the strings a parameter-change proposal (module gov) takes as old and new value.';
  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> -o json'];
  static override flags = { ...queryFlags };

  async run(): Promise<void> {
    const height = parseHeight(this.flags.height);
    const params = await withNode(this.home, this.flags, async (node) => {
      try {
        const r = QueryParamsResponse.decode(await abciRpc(node, height).request('guts.gov.v1.Query', 'Params', QueryParamsRequest.encode({}).finish()));
        return govParamsToJson(paramsFromProto(r.params!));
      } catch (err) {
        throw new CliError(describeQueryError(err).message);
      }
    });
    this.print(params);
  }
}
