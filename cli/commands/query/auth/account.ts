import { Args } from '@oclif/core';
import { QueryClientImpl as AuthQuery } from 'cosmjs-types/cosmos/auth/v1beta1/query';
import { parseAddress, parseHeight } from '../../../args.js';
import { BaseCommand } from '../../../base.js';
import { CliError } from '../../../errors.js';
import { accountJson } from '../../../format/account.js';
import { describeQueryError } from '../../../node-client.js';
import { abciRpc, queryFlags, withNode } from '../../../query.js';

/** sdk/22 "key not found" and sdk/38 "not found" are how a cosmos node answers for a missing account. */
const NOT_FOUND_CODES = new Set([22, 38]);

export default class QueryAuthAccount extends BaseCommand<typeof QueryAuthAccount> {
  static override summary = 'Query an account: number, sequence and public key.';
  static override description = 'An account exists on chain once it has received coins; its public key is known once it has signed a transaction.';
  static override examples = [
    '<%= config.bin %> <%= command.id %> guts19rl4cm2hmr8afy4kldpxz3fka4jguq0a6h2up5',
    '<%= config.bin %> <%= command.id %> guts19rl4cm2hmr8afy4kldpxz3fka4jguq0a6h2up5 -o json',
  ];

  static override args = {
    address: Args.string({ description: 'guts1… account address', required: true }),
  };

  static override flags = { ...queryFlags };

  async run(): Promise<void> {
    const address = parseAddress(this.args.address);
    const height = parseHeight(this.flags.height);
    const account = await withNode(this.home, this.flags, async (node) => {
      try {
        return (await new AuthQuery(abciRpc(node, height)).Account({ address })).account;
      } catch (err) {
        if (err instanceof CliError) throw err;
        const q = describeQueryError(err);
        // cosmjs' own StargateClient.getAccount treats a gRPC NotFound this way too
        if ((q.code !== undefined && NOT_FOUND_CODES.has(q.code)) || /rpc error: code = NotFound/i.test(q.message)) {
          throw new CliError(`account ${address} not found: it has never received coins`);
        }
        throw new CliError(q.message);
      }
    });
    if (!account) throw new CliError(`account ${address} not found: it has never received coins`);
    this.print({ account: accountJson(account) });
  }
}
