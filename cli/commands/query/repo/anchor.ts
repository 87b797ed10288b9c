import { Args } from '@oclif/core';
import { QueryCollabAnchorRequest, QueryCollabAnchorResponse } from '../../../../proto/gen/guts/repo/v1/query.js';
import { COLLAB_EVENT_NAMES, parseRepoKey, validateCollabItem } from '../../../../modules/repo/names.js';
import { anchorToJson } from '../../../../modules/repo/json.js';
import { parseHeight } from '../../../args.js';
import { BaseCommand } from '../../../base.js';
import { CliError } from '../../../errors.js';
import { describeQueryError } from '../../../node-client.js';
import { abciRpc, queryFlags, withNode } from '../../../query.js';

export default class QueryRepoAnchor extends BaseCommand<typeof QueryRepoAnchor> {
  static override summary = 'Show the anchored content hash of an issue, pull request, comment or review.';
  static override examples = ['<%= config.bin %> <%= command.id %> guts19rl4cm2hmr8afy4kldpxz3fka4jguq0a6h2up5/guts issue 0b4e7c1a-5f7e-4c2a-9d1e-3b2f6a8c9d00'];
  static override args = {
    repo: Args.string({ description: 'repository <owner address>/<name>', required: true }),
    type: Args.string({ description: 'issue | pull_request | comment | review', required: true }),
    item_id: Args.string({ description: 'item id', required: true }),
  };
  static override flags = { ...queryFlags };

  async run(): Promise<void> {
    const { args } = this;
    const height = parseHeight(this.flags.height);
    const out = await withNode(this.home, this.flags, async (node) => {
      const rpc = abciRpc(node, height);
      try {
        parseRepoKey(args.repo);
        const eventType = Number(Object.entries(COLLAB_EVENT_NAMES).find(([, n]) => n === args.type.toLowerCase().replace(/-/g, '_'))?.[0] ?? 0);
        validateCollabItem(eventType, args.item_id, new Uint8Array(32));
        const r = QueryCollabAnchorResponse.decode(await rpc.request('guts.repo.v1.Query', 'CollabAnchor', QueryCollabAnchorRequest.encode({ repo: args.repo, eventType, itemId: args.item_id }).finish()));
        return anchorToJson(r.anchor!);
      } catch (err) {
        throw new CliError(describeQueryError(err).message);
      }
    });
    this.print(out);
  }
}
