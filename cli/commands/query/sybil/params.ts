import { Args } from '@oclif/core';
import { QueryParamsRequest, QueryParamsResponse } from '../../../../proto/gen/guts/sybil/v1/query.js';
import { Params } from '../../../../proto/gen/guts/sybil/v1/sybil.js';
import { decodeSybilParams, sybilParamsToJson } from '../../../../modules/sybil/params.js';
import { parseHeight } from '../../../args.js';
import { BaseCommand } from '../../../base.js';
import { CliError } from '../../../errors.js';
import { describeQueryError } from '../../../node-client.js';
import { abciRpc, queryFlags, withNode } from '../../../query.js';

export default class QuerySybilParams extends BaseCommand<typeof QuerySybilParams> {
  static override summary = 'Show the sybil parameters: stake and proof-of-work bits per action, window, reputation.';
  static override description = 'Stakes are in ugut; pow_bits_* of 0 means the action needs stake.';
  static override examples = ['<%= config.bin %> <%= command.id %> -o json'];
  static override args = {};
  static override flags = { ...queryFlags };

  async run(): Promise<void> {
    const { args, flags } = this;
    const height = parseHeight(flags.height);
    const out = await withNode(this.home, flags, async (node) => {
      const rpc = abciRpc(node, height);
      try {
        const { params } = QueryParamsResponse.decode(await rpc.request('guts.sybil.v1.Query', 'Params', QueryParamsRequest.encode({}).finish()));
        return sybilParamsToJson(decodeSybilParams(Params.encode(params!).finish()));
      } catch (err) {
        throw new CliError(describeQueryError(err).message);
      }
    });
    this.print(out);
  }
}
