import { Args } from '@oclif/core';
import { QueryRecipientRequest, QueryRecipientResponse } from '../../../../proto/gen/guts/faucet/v1/query.js';
import { parseAddress } from '../../../args.js';
import { parseHeight } from '../../../args.js';
import { BaseCommand } from '../../../base.js';
import { CliError } from '../../../errors.js';
import { describeQueryError } from '../../../node-client.js';
import { abciRpc, queryFlags, withNode } from '../../../query.js';

export default class QueryFaucetRecipient extends BaseCommand<typeof QueryFaucetRecipient> {
  static override summary = 'Show what an address received from the faucet and when it may ask again.';
  static override description = 'Times are Unix seconds of block time.';
  static override examples = ['<%= config.bin %> <%= command.id %> guts19rl4cm2hmr8afy4kldpxz3fka4jguq0a6h2up5'];
  static override args = {
    address: Args.string({ description: 'guts1… address', required: true }),
  };
  static override flags = { ...queryFlags };

  async run(): Promise<void> {
    const { args, flags } = this;
    const height = parseHeight(flags.height);
    const out = await withNode(this.home, flags, async (node) => {
      const rpc = abciRpc(node, height);
      try {
        const address = parseAddress(args.address);
        const r = QueryRecipientResponse.decode(await rpc.request('guts.faucet.v1.Query', 'Recipient', QueryRecipientRequest.encode({ address }).finish()));
        const rec = r.recipient!;
        return { address, total_received: rec.totalReceived, requests: rec.requests.toString(), last_request_time: rec.lastRequestTime.toString(), next_request_time: r.nextRequestTime.toString(), remaining: r.remaining };
      } catch (err) {
        throw new CliError(describeQueryError(err).message);
      }
    });
    this.print(out);
  }
}
