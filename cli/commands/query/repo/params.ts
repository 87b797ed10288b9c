import { QueryParamsRequest, QueryParamsResponse } from '../../../../proto/gen/guts/repo/v1/query.js';
import { repoParamsToJson } from '../../../../modules/repo/params.js';
import { parseHeight } from '../../../args.js';
import { BaseCommand } from '../../../base.js';
import { CliError } from '../../../errors.js';
import { describeQueryError } from '../../../node-client.js';
import { abciRpc, queryFlags, withNode } from '../../../query.js';

export default class QueryRepoParams extends BaseCommand<typeof QueryRepoParams> {
  static override summary = 'Show the repo module parameters.';
  static override examples = ['<%= config.bin %> <%= command.id %> -o json'];
  static override flags = { ...queryFlags };

  async run(): Promise<void> {
    const height = parseHeight(this.flags.height);
    const out = await withNode(this.home, this.flags, async (node) => {
      try {
        const { params } = QueryParamsResponse.decode(await abciRpc(node, height).request('guts.repo.v1.Query', 'Params', QueryParamsRequest.encode({}).finish()));
        return repoParamsToJson({ maxCollaborators: params!.maxCollaborators, maxRefsPerRepo: params!.maxRefsPerRepo });
      } catch (err) {
        throw new CliError(describeQueryError(err).message);
      }
    });
    this.print(out);
  }
}
