import { Args, Flags } from '@oclif/core';
import { QueryClientImpl as BankQuery } from 'cosmjs-types/cosmos/bank/v1beta1/query';
import { PageRequest } from 'cosmjs-types/cosmos/base/query/v1beta1/pagination';
import type { Coin } from 'cosmjs-types/cosmos/base/v1beta1/coin';
import { parseAddress, parseHeight } from '../../../args.js';
import { BaseCommand } from '../../../base.js';
import { CliError } from '../../../errors.js';
import { describeQueryError } from '../../../node-client.js';
import { abciRpc, queryFlags, withNode } from '../../../query.js';

const PAGE = 100n;

export default class QueryBankBalances extends BaseCommand<typeof QueryBankBalances> {
  static override summary = 'Query the balances of an account.';
  static override description = 'Prints all balances (every page), or the balance of one denom with --denom, as `simd query bank balances` does.';
  static override examples = [
    '<%= config.bin %> <%= command.id %> guts19rl4cm2hmr8afy4kldpxz3fka4jguq0a6h2up5',
    '<%= config.bin %> <%= command.id %> guts19rl4cm2hmr8afy4kldpxz3fka4jguq0a6h2up5 --denom ugut -o json',
    '<%= config.bin %> <%= command.id %> guts19rl4cm2hmr8afy4kldpxz3fka4jguq0a6h2up5 --height 120 --node http://127.0.0.1:26657',
  ];

  static override args = {
    address: Args.string({ description: 'guts1… account address', required: true }),
  };

  static override flags = {
    ...queryFlags,
    denom: Flags.string({ summary: 'Only the balance of this denom.' }),
  };

  async run(): Promise<void> {
    const address = parseAddress(this.args.address);
    const height = parseHeight(this.flags.height);
    const { denom } = this.flags;
    const out = await withNode(this.home, this.flags, async (node) => {
      const bank = new BankQuery(abciRpc(node, height));
      try {
        if (denom !== undefined) {
          const r = await bank.Balance({ address, denom });
          return { denom, amount: r.balance?.amount ?? '0' } as unknown;
        }
        const balances: Coin[] = [];
        let key: Uint8Array = new Uint8Array();
        do {
          const r = await bank.AllBalances({ address, pagination: PageRequest.fromPartial({ key, limit: PAGE }), resolveDenom: false });
          balances.push(...r.balances);
          key = r.pagination?.nextKey ?? new Uint8Array();
        } while (key.length > 0);
        return {
          balances: balances.map((c) => ({ denom: c.denom, amount: c.amount })),
          pagination: { next_key: null, total: String(balances.length) },
        };
      } catch (err) {
        if (err instanceof CliError) throw err;
        throw new CliError(describeQueryError(err).message);
      }
    });
    this.print(out);
  }
}
