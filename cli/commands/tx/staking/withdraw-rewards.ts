import { Args } from '@oclif/core';
import { MSG, MESSAGE_JSON_CODECS } from '../../../../modules/staking/client.js';
import { parseAddress } from '../../../args.js';
import { BaseCommand, yaml } from '../../../base.js';
import { registerJsonCodec } from '../../../format/proto-json.js';
import { txResponseText } from '../../../format/tx-response.js';
import { signAndBroadcast, txFlags } from '../../../tx.js';

for (const [url, codec] of MESSAGE_JSON_CODECS) registerJsonCodec(url, codec);

export default class TxStakingWithdrawRewards extends BaseCommand<typeof TxStakingWithdrawRewards> {
  static override summary = 'Withdraw staking rewards (and, for an operator, its commission).';
  static override description = 'Pays the rewards of all your delegations, or of the one to VALIDATOR; an operator also receives its validator\'s accumulated commission.';
  static override usage = '<%= command.id %> FROM_KEY_OR_ADDRESS [VALIDATOR] [FLAGS]';
  static override examples = [{ description: 'All rewards', command: '<%= config.bin %> <%= command.id %> alice -y' }, { description: 'From one validator', command: '<%= config.bin %> <%= command.id %> alice guts1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc5lzv7xu -y' }];
  static override args = {
    from: Args.string({ description: 'key name or address of the delegator (signs and pays)', required: true }),
    validator: Args.string({ description: 'only the rewards from this validator (default: all)' }),
  };
  static override flags = { ...txFlags };

  async run(): Promise<void> {
    const { flags, args } = this;
    const validatorAddress = args.validator === undefined ? '' : parseAddress(args.validator, 'validator');
    const result = await signAndBroadcast({
      home: this.home,
      flags,
      from: args.from,
      messages: (delegatorAddress) => [{ typeUrl: MSG.withdrawRewards, value: { delegatorAddress, validatorAddress } }],
      show: (unsigned) => this.note(this.outputFormat === 'json' ? JSON.stringify(unsigned, null, 2) : yaml(unsigned)),
      note: (m) => this.note(m),
    });
    if (result.status === 'cancelled') return;
    this.print(result.response, txResponseText);
    if (result.response.code !== 0) this.exit(1);
  }
}
