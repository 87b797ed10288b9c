import { Args } from '@oclif/core';
import { QueryFaucetRequest, QueryFaucetResponse } from '../../../../proto/gen/guts/faucet/v1/query.js';
import { parseHeight } from '../../../args.js';
import { BaseCommand } from '../../../base.js';
import { CliError } from '../../../errors.js';
import { describeQueryError } from '../../../node-client.js';
import { abciRpc, queryFlags, withNode } from '../../../query.js';

export default class QueryFaucetInfo extends BaseCommand<typeof QueryFaucetInfo> {
  static override summary = 'Show the faucet account, its balance and its parameters.';
  static override description = 'Refill the faucet with a bank send to its address.';
  static override examples = ['<%= config.bin %> <%= command.id %> -o json'];
  static override args = {};
  static override flags = { ...queryFlags };

  async run(): Promise<void> {
    const { args, flags } = this;
    const height = parseHeight(flags.height);
    const out = await withNode(this.home, flags, async (node) => {
      const rpc = abciRpc(node, height);
      try {
        const r = QueryFaucetResponse.decode(await rpc.request('guts.faucet.v1.Query', 'Faucet', QueryFaucetRequest.encode({}).finish()));
        const p = r.params!;
        return { address: r.address, balance: r.balance, params: { enabled: p.enabled, amount_per_request: p.amountPerRequest, lifetime_limit: p.lifetimeLimit, cooldown_seconds: p.cooldownSeconds.toString() } };
      } catch (err) {
        throw new CliError(describeQueryError(err).message);
      }
    });
    this.print(out);
  }
}
