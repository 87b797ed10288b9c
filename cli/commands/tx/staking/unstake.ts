import { Args } from '@oclif/core';
import { MSG, MESSAGE_JSON_CODECS, parseStakeAmount } from '../../../../modules/staking/client.js';
import { parseAddress } from '../../../args.js';
import { BaseCommand, yaml } from '../../../base.js';
import { registerJsonCodec } from '../../../format/proto-json.js';
import { txResponseText } from '../../../format/tx-response.js';
import { signAndBroadcast, txFlags } from '../../../tx.js';

for (const [url, codec] of MESSAGE_JSON_CODECS) registerJsonCodec(url, codec);

export default class TxStakingUnstake extends BaseCommand<typeof TxStakingUnstake> {
  static override summary = 'Unstake tokens from a validator (applied at the end of the epoch, then locked for lock_period).';
  static override description = 'At the end of the epoch the tokens leave the validator and are locked for lock_period (still slashable for earlier offences); then they are paid back automatically. You cannot unstake more than your stake minus what is already queued to leave.';
  static override usage = '<%= command.id %> FROM_KEY_OR_ADDRESS VALIDATOR AMOUNT [FLAGS]';
  static override examples = [{ description: 'Unstake 1000ugut', command: '<%= config.bin %> <%= command.id %> alice guts1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc5lzv7xu 1000ugut -y' }];
  static override args = {
    from: Args.string({ description: 'key name or address of the delegator (signs and pays)', required: true }),
    validator: Args.string({ description: 'operator address (guts1…) of the validator', required: true }),
    amount: Args.string({ description: 'tokens to unstake, e.g. 1000ugut', required: true }),
  };
  static override flags = { ...txFlags };

  async run(): Promise<void> {
    const { flags, args } = this;
    const validatorAddress = parseAddress(args.validator, 'validator');
    const amount = parseStakeAmount(args.amount);
    const result = await signAndBroadcast({
      home: this.home,
      flags,
      from: args.from,
      messages: (delegatorAddress) => [{ typeUrl: MSG.unstake, value: { delegatorAddress, validatorAddress, amount } }],
      show: (unsigned) => this.note(this.outputFormat === 'json' ? JSON.stringify(unsigned, null, 2) : yaml(unsigned)),
      note: (m) => this.note(m),
    });
    if (result.status === 'cancelled') return;
    this.print(result.response, txResponseText);
    if (result.response.code !== 0) this.exit(1);
  }
}
