import { Args } from '@oclif/core';
import { MSG, MESSAGE_JSON_CODECS } from '../../../../modules/staking/client.js';
import { BaseCommand, yaml } from '../../../base.js';
import { registerJsonCodec } from '../../../format/proto-json.js';
import { txResponseText } from '../../../format/tx-response.js';
import { signAndBroadcast, txFlags } from '../../../tx.js';

for (const [url, codec] of MESSAGE_JSON_CODECS) registerJsonCodec(url, codec);

export default class TxSlashingUnjail extends BaseCommand<typeof TxSlashingUnjail> {
  static override summary = 'Unjail your validator after its jail period.';
  static override description = 'Refused while the jail period lasts (slashing/4, with the seconds to go), for a validator that is not jailed (slashing/3) or tombstoned (slashing/5). The validator re-enters the active set at the end of the block if its stake is still among the top max_validators and at least min_stake.';
  static override usage = '<%= command.id %> FROM_KEY_OR_ADDRESS [FLAGS]';
  static override examples = [{ description: 'Unjail', command: '<%= config.bin %> <%= command.id %> val1 -y --broadcast-mode block' }];
  static override args = { from: Args.string({ description: 'key name or address of the operator', required: true }) };
  static override flags = { ...txFlags };

  async run(): Promise<void> {
    const { flags, args } = this;
    const result = await signAndBroadcast({
      home: this.home,
      flags,
      from: args.from,
      messages: (validatorAddress) => [{ typeUrl: MSG.unjail, value: { validatorAddress } }],
      show: (unsigned) => this.note(this.outputFormat === 'json' ? JSON.stringify(unsigned, null, 2) : yaml(unsigned)),
      note: (m) => this.note(m),
    });
    if (result.status === 'cancelled') return;
    this.print(result.response, txResponseText);
    if (result.response.code !== 0) this.exit(1);
  }
}
