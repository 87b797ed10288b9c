import { Args, Flags } from '@oclif/core';
import { MSG, MESSAGE_JSON_CODECS } from '../../../../modules/staking/client.js';
import { BaseCommand, yaml } from '../../../base.js';
import { CliError } from '../../../errors.js';
import { registerJsonCodec } from '../../../format/proto-json.js';
import { txResponseText } from '../../../format/tx-response.js';
import { signAndBroadcast, txFlags } from '../../../tx.js';

for (const [url, codec] of MESSAGE_JSON_CODECS) registerJsonCodec(url, codec);

export default class TxStakingEditValidator extends BaseCommand<typeof TxStakingEditValidator> {
  static override summary = 'Change a validator\'s description or commission rate.';
  static override description = 'Only the fields given change. The commission rate (basis points) may change once per 24 hours of block time, by at most the validator\'s max change rate, and never above its max rate.';
  static override usage = '<%= command.id %> FROM_KEY_OR_ADDRESS [FLAGS]';
  static override examples = [
    { description: 'Rename', command: '<%= config.bin %> <%= command.id %> val1 --moniker "Val One" -y' },
    { description: 'Raise the commission to 11%', command: '<%= config.bin %> <%= command.id %> val1 --commission-rate 1100 -y' },
  ];
  static override args = { from: Args.string({ description: 'key name or address of the operator', required: true }) };
  static override flags = {
    ...txFlags,
    moniker: Flags.string({ summary: 'New name.', helpGroup: 'VALIDATOR' }),
    website: Flags.string({ summary: 'New website.', helpGroup: 'VALIDATOR' }),
    details: Flags.string({ summary: 'New description.', helpGroup: 'VALIDATOR' }),
    'commission-rate': Flags.integer({ summary: 'New commission rate, basis points.', min: 0, max: 10_000, helpGroup: 'VALIDATOR' }),
  };

  async run(): Promise<void> {
    const { flags, args } = this;
    if ([flags.moniker, flags.website, flags.details, flags['commission-rate']].every((x) => x === undefined)) {
      throw new CliError('nothing to change: give --moniker, --website, --details or --commission-rate');
    }
    const result = await signAndBroadcast({
      home: this.home,
      flags,
      from: args.from,
      messages: (operatorAddress) => [{ typeUrl: MSG.editValidator, value: { operatorAddress, moniker: flags.moniker, website: flags.website, details: flags.details, commissionRateBp: flags['commission-rate'] } }],
      show: (unsigned) => this.note(this.outputFormat === 'json' ? JSON.stringify(unsigned, null, 2) : yaml(unsigned)),
      note: (m) => this.note(m),
    });
    if (result.status === 'cancelled') return;
    this.print(result.response, txResponseText);
    if (result.response.code !== 0) this.exit(1);
  }
}
