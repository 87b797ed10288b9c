import { Args } from '@oclif/core';
import { Flags } from '@oclif/core';
import { QueryCanPerformRequest, QueryCanPerformResponse } from '../../../../proto/gen/guts/sybil/v1/query.js';
import { ErrInvalidAction } from '../../../../modules/sybil/errors.js';
import { POW_ACTIONS, type PowAction } from '../../../../sdk/pow.js';
import { parseAddress } from '../../../args.js';
import { parseHeight } from '../../../args.js';
import { BaseCommand } from '../../../base.js';
import { CliError } from '../../../errors.js';
import { describeQueryError } from '../../../node-client.js';
import { abciRpc, queryFlags, withNode } from '../../../query.js';

export default class QuerySybilCanPerform extends BaseCommand<typeof QuerySybilCanPerform> {
  static override summary = 'Would an identity pass the stake gate for an action now?';
  static override description = 'Shows the stake required after the reputation discount, the stake held, and the proof-of-work bits accepted instead (0 = none). With --repo, pushes by its owner and collaborators are free.';
  static override examples = ['<%= config.bin %> <%= command.id %> guts19rl4cm2hmr8afy4kldpxz3fka4jguq0a6h2up5 create_repo', '<%= config.bin %> <%= command.id %> guts19rl4cm2hmr8afy4kldpxz3fka4jguq0a6h2up5 push --repo guts1…/guts'];
  static override args = {
    address: Args.string({ description: 'guts1… address', required: true }),
    action: Args.string({ description: 'validator | create_repo | push | governance | collaboration', required: true }),
  };
  static override flags = { ...queryFlags,
    repo: Flags.string({ summary: 'Repository <owner>/<name> (push: owners and collaborators push free).' }) };

  async run(): Promise<void> {
    const { args, flags } = this;
    const height = parseHeight(flags.height);
    const out = await withNode(this.home, flags, async (node) => {
      const rpc = abciRpc(node, height);
      try {
        const address = parseAddress(args.address);
        const action = POW_ACTIONS.indexOf(args.action as PowAction) + 1;
        if (action === 0) throw ErrInvalidAction.wrap(`${JSON.stringify(args.action)}: expected one of ${POW_ACTIONS.join(', ')}`);
        const r = QueryCanPerformResponse.decode(await rpc.request('guts.sybil.v1.Query', 'CanPerform', QueryCanPerformRequest.encode({ address, action, repo: flags.repo ?? '' }).finish()));
        return { allowed: r.allowed, free: r.free, required_stake: r.requiredStake, stake: r.stake, discount_bp: r.discountBp, pow_bits: r.powBits };
      } catch (err) {
        throw new CliError(describeQueryError(err).message);
      }
    });
    this.print(out);
  }
}
