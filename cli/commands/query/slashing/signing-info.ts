import { Args } from '@oclif/core';
import { toHex } from '@cosmjs/encoding';
import * as Q from '../../../../proto/gen/guts/slashing/v1/query.js';
import { parseAddress, parseHeight } from '../../../args.js';
import { BaseCommand } from '../../../base.js';
import { CliError } from '../../../errors.js';
import { describeQueryError } from '../../../node-client.js';
import { abciRpc, queryFlags, withNode } from '../../../query.js';

export default class QuerySlashingSigningInfo extends BaseCommand<typeof QuerySlashingSigningInfo> {
  static override summary = 'Show a validator\'s liveness record over the signed-blocks window.';
  static override description = 'missed_blocks_counter counts the votes missed in the last signed_blocks_window votes; above (1 − min_signed_per_window) of the window the validator is slashed and jailed. The record starts when the validator first votes in the active set and restarts when it is jailed.';
  static override examples = ['<%= config.bin %> <%= command.id %> guts1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc5lzv7xu'];
  static override args = { address: Args.string({ description: 'operator address (guts1…)', required: true }) };
  static override flags = { ...queryFlags };

  async run(): Promise<void> {
    const height = parseHeight(this.flags.height);
    const validatorAddress = parseAddress(this.args.address, 'validator');
    const out = await withNode(this.home, this.flags, async (node) => {
      try {
        const raw = await abciRpc(node, height).request('guts.slashing.v1.Query', 'SigningInfo', Q.QuerySigningInfoRequest.encode({ validatorAddress }).finish());
        const i = Q.QuerySigningInfoResponse.decode(raw).info!;
        return {
          validator_address: i.validatorAddress,
          consensus_address: toHex(i.consensusAddress).toUpperCase(),
          start_height: i.startHeight.toString(),
          index_offset: i.indexOffset.toString(),
          missed_blocks_counter: i.missedBlocksCounter.toString(),
          tombstoned: i.tombstoned,
        };
      } catch (err) {
        throw new CliError(describeQueryError(err).message);
      }
    });
    this.print(out);
  }
}
