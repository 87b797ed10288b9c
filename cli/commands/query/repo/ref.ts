import { Args } from '@oclif/core';
import { QueryRefRequest, QueryRefResponse } from '../../../../proto/gen/guts/repo/v1/query.js';
import { parseRepoKey, validateRefName } from '../../../../modules/repo/names.js';
import { refToJson } from '../../../../modules/repo/json.js';
import { parseHeight } from '../../../args.js';
import { BaseCommand } from '../../../base.js';
import { CliError } from '../../../errors.js';
import { describeQueryError } from '../../../node-client.js';
import { abciRpc, queryFlags, withNode } from '../../../query.js';

export default class QueryRepoRef extends BaseCommand<typeof QueryRepoRef> {
  static override summary = 'Show one ref: the object id it holds, who moved it last and when.';
  static override examples = ['<%= config.bin %> <%= command.id %> guts19rl4cm2hmr8afy4kldpxz3fka4jguq0a6h2up5/guts refs/heads/main'];
  static override args = {
    repo: Args.string({ description: 'repository <owner address>/<name>', required: true }),
    ref: Args.string({ description: 'full ref name, e.g. refs/heads/main', required: true }),
  };
  static override flags = { ...queryFlags };

  async run(): Promise<void> {
    const { args } = this;
    const height = parseHeight(this.flags.height);
    const out = await withNode(this.home, this.flags, async (node) => {
      const rpc = abciRpc(node, height);
      try {
        parseRepoKey(args.repo);
        validateRefName(args.ref);
        const r = QueryRefResponse.decode(await rpc.request('guts.repo.v1.Query', 'Ref', QueryRefRequest.encode({ repo: args.repo, ref: args.ref }).finish()));
        return refToJson(args.ref, r.ref!);
      } catch (err) {
        throw new CliError(describeQueryError(err).message);
      }
    });
    this.print(out);
  }
}
