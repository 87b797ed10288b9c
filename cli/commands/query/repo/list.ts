import { Args } from '@oclif/core';
import { QueryReposByOwnerRequest, QueryReposByOwnerResponse } from '../../../../proto/gen/guts/repo/v1/query.js';
import { repoToJson } from '../../../../modules/repo/json.js';
import { parseAddress } from '../../../args.js';
import { parseHeight } from '../../../args.js';
import { BaseCommand } from '../../../base.js';
import { CliError } from '../../../errors.js';
import { describeQueryError } from '../../../node-client.js';
import { abciRpc, queryFlags, withNode } from '../../../query.js';

export default class QueryRepoList extends BaseCommand<typeof QueryRepoList> {
  static override summary = 'List the repositories of an owner.';
  static override examples = ['<%= config.bin %> <%= command.id %> guts19rl4cm2hmr8afy4kldpxz3fka4jguq0a6h2up5'];
  static override args = {
    owner: Args.string({ description: 'guts1… owner address', required: true }),
  };
  static override flags = { ...queryFlags };

  async run(): Promise<void> {
    const { args } = this;
    const height = parseHeight(this.flags.height);
    const out = await withNode(this.home, this.flags, async (node) => {
      const rpc = abciRpc(node, height);
      try {
        const owner = parseAddress(args.owner, 'owner');
        const r = QueryReposByOwnerResponse.decode(await rpc.request('guts.repo.v1.Query', 'ReposByOwner', QueryReposByOwnerRequest.encode({ owner }).finish()));
        return { repos: r.repos.map(repoToJson) };
      } catch (err) {
        throw new CliError(describeQueryError(err).message);
      }
    });
    this.print(out);
  }
}
