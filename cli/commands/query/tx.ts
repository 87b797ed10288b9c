import { Args } from '@oclif/core';
import { toRfc3339WithNanoseconds } from '@cosmjs/tendermint-rpc';
import { ErrInvalidRequest } from '../../../app/errors.js';
import { BaseCommand } from '../../base.js';
import { CliError } from '../../errors.js';
import { indexedTxResponse } from '../../format/tx-response.js';
import { nodeFlags } from '../../node-client.js';
import { withNode } from '../../query.js';

export default class QueryTx extends BaseCommand<typeof QueryTx> {
  static override summary = 'Query a committed transaction by its hash.';
  static override description = 'Prints the TxResponse as simd does: height, code, log, gas, events and the decoded transaction.';
  static override examples = [
    '<%= config.bin %> <%= command.id %> 0B5C9E7C2F8D4A1E3B6F0A9D8C7E6F5A4B3C2D1E0F9A8B7C6D5E4F3A2B1C0D9E',
    '<%= config.bin %> <%= command.id %> 0b5c9e7c2f8d4a1e3b6f0a9d8c7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e -o json',
  ];

  static override args = {
    hash: Args.string({ description: 'transaction hash (64 hex characters)', required: true }),
  };

  static override flags = { ...nodeFlags };

  async run(): Promise<void> {
    const hash = this.args.hash.replace(/^0x/i, '').toUpperCase();
    if (!/^[0-9A-F]{64}$/.test(hash)) throw ErrInvalidRequest.wrap(`tx hash ${JSON.stringify(this.args.hash)} must be 64 hex characters`);
    const out = await withNode(this.home, this.flags, async (node) => {
      // tx_search by hash is what cosmjs' StargateClient.getTx uses; an empty result means "not found"
      const found = await node.call(() => node.comet.txSearch({ query: `tx.hash='${hash}'` }));
      const t = found.txs[0];
      if (!t) throw new CliError(`tx ${hash} not found on the node at ${node.url}`);
      const block = await node.call(() => node.comet.block(t.height)).catch(() => undefined);
      return indexedTxResponse(t, block ? toRfc3339WithNanoseconds(block.block.header.time) : '');
    });
    this.print(out);
  }
}
