import { Args } from '@oclif/core';
import { QueryRefsRequest, QueryRefsResponse } from '../../../../proto/gen/guts/repo/v1/query.js';
import { parseRepoKey } from '../../../../modules/repo/names.js';
import { refToJson } from '../../../../modules/repo/json.js';
import { parseHeight } from '../../../args.js';
import { BaseCommand } from '../../../base.js';
import { CliError } from '../../../errors.js';
import { describeQueryError } from '../../../node-client.js';
import { abciRpc, queryFlags, withNode } from '../../../query.js';

export default class QueryRepoRefs extends BaseCommand<typeof QueryRepoRefs> {
  static override summary = 'List the refs of a repository with their object ids.';
  static override examples = ['<%= config.bin %> <%= command.id %> guts19rl4cm2hmr8afy4kldpxz3fka4jguq0a6h2up5/guts'];
  static override args = {
    repo: Args.string({ description: 'repository <owner address>/<name>', required: true }),
  };
  static override flags = { ...queryFlags };

  async run(): Promise<void> {
    const { args } = this;
    const height = parseHeight(this.flags.height);
    const out = await withNode(this.home, this.flags, async (node) => {
      const rpc = abciRpc(node, height);
      try {
        parseRepoKey(args.repo);
        const r = QueryRefsResponse.decode(await rpc.request('guts.repo.v1.Query', 'Refs', QueryRefsRequest.encode({ repo: args.repo }).finish()));
        return { refs: r.refs.map((x) => refToJson(x.name, x.ref!)) };
      } catch (err) {
        throw new CliError(describeQueryError(err).message);
      }
    });
    this.print(out);
  }
}
