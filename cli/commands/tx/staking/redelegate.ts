import { Args } from '@oclif/core';
import { MSG, MESSAGE_JSON_CODECS, parseStakeAmount } from '../../../../modules/staking/client.js';
import { parseAddress } from '../../../args.js';
import { BaseCommand, yaml } from '../../../base.js';
import { registerJsonCodec } from '../../../format/proto-json.js';
import { txResponseText } from '../../../format/tx-response.js';
import { signAndBroadcast, txFlags } from '../../../tx.js';

for (const [url, codec] of MESSAGE_JSON_CODECS) registerJsonCodec(url, codec);

export default class TxStakingRedelegate extends BaseCommand<typeof TxStakingRedelegate> {
  static override summary = 'Move stake from one validator to another (applied at the end of the epoch).';
  static override description = 'The stake moves at the end of the epoch without being unlocked; it stays slashable for the source validator\'s offences and cannot be redelegated again for lock_period.';
  static override usage = '<%= command.id %> FROM_KEY_OR_ADDRESS SRC_VALIDATOR DST_VALIDATOR AMOUNT [FLAGS]';
  static override examples = [{ description: 'Move 1000ugut', command: '<%= config.bin %> <%= command.id %> alice guts1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc5lzv7xu guts1yy9tnlhj9ym8p3xvdjuumgv9dr30hmfnqjk9ru 1000ugut -y' }];
  static override args = {
    from: Args.string({ description: 'key name or address of the delegator (signs and pays)', required: true }),
    src_validator: Args.string({ description: 'operator address of the validator the stake leaves', required: true }),
    dst_validator: Args.string({ description: 'operator address of the validator it joins', required: true }),
    amount: Args.string({ description: 'tokens to move, e.g. 1000ugut', required: true }),
  };
  static override flags = { ...txFlags };

  async run(): Promise<void> {
    const { flags, args } = this;
    const srcValidatorAddress = parseAddress(args.src_validator, 'src_validator');
    const dstValidatorAddress = parseAddress(args.dst_validator, 'dst_validator');
    const amount = parseStakeAmount(args.amount);
    const result = await signAndBroadcast({
      home: this.home,
      flags,
      from: args.from,
      messages: (delegatorAddress) => [{ typeUrl: MSG.redelegate, value: { delegatorAddress, srcValidatorAddress, dstValidatorAddress, amount } }],
      show: (unsigned) => this.note(this.outputFormat === 'json' ? JSON.stringify(unsigned, null, 2) : yaml(unsigned)),
      note: (m) => this.note(m),
    });
    if (result.status === 'cancelled') return;
    this.print(result.response, txResponseText);
    if (result.response.code !== 0) this.exit(1);
  }
}
