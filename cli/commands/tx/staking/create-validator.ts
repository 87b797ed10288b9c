import { Args, Flags } from '@oclif/core';
import { MSG, MESSAGE_JSON_CODECS, consensusPubkey, parseStakeAmount } from '../../../../modules/staking/client.js';
import { BaseCommand, yaml } from '../../../base.js';
import { registerJsonCodec } from '../../../format/proto-json.js';
import { txResponseText } from '../../../format/tx-response.js';
import { signAndBroadcast, txFlags } from '../../../tx.js';

for (const [url, codec] of MESSAGE_JSON_CODECS) registerJsonCodec(url, codec);

const bp = (summary: string, dflt: number) => Flags.integer({ summary, default: dflt, min: 0, max: 10_000, helpGroup: 'VALIDATOR' });

export default class TxStakingCreateValidator extends BaseCommand<typeof TxStakingCreateValidator> {
  static override summary = 'Create a validator bonded to this node\'s consensus key, with a self-stake.';
  static override description = `The self-stake must be at least min_stake; it is queued and the validator enters the active set at the end of the epoch if it is among the top max_validators by stake. The consensus key is read from <home>/config/priv_validator_key.json unless --pubkey is given. Commission rates are basis points (1000 = 10%); the rate can later change by at most --commission-max-change-rate once a day and never above --commission-max-rate.`;
  static override usage = '<%= command.id %> FROM_KEY_OR_ADDRESS SELF_STAKE [FLAGS]';
  static override examples = [
    { description: 'From the node home, 10% commission', command: '<%= config.bin %> <%= command.id %> val1 100000ugut --moniker val1 --commission-rate 1000 -y' },
    { description: 'With an explicit key', command: '<%= config.bin %> <%= command.id %> val1 250000ugut --moniker val1 --pubkey 7Xh...= --website https://val1.example -y' },
  ];
  static override args = {
    from: Args.string({ description: 'key name or address of the operator (signs, pays the self-stake)', required: true }),
    self_stake: Args.string({ description: 'self-stake, e.g. 100000ugut', required: true }),
  };
  static override flags = {
    ...txFlags,
    pubkey: Flags.string({ summary: 'ed25519 consensus public key, base64 (default: the node home\'s priv_validator_key.json).', helpGroup: 'VALIDATOR' }),
    moniker: Flags.string({ summary: 'Validator name (1-70 characters).', required: true, helpGroup: 'VALIDATOR' }),
    website: Flags.string({ summary: 'Website (up to 140 characters).', default: '', helpGroup: 'VALIDATOR' }),
    details: Flags.string({ summary: 'Description (up to 280 characters).', default: '', helpGroup: 'VALIDATOR' }),
    'commission-rate': bp('Commission rate, basis points.', 1000),
    'commission-max-rate': bp('Highest rate ever allowed, basis points.', 2000),
    'commission-max-change-rate': bp('Largest change per day, basis points.', 100),
  };

  async run(): Promise<void> {
    const { flags, args } = this;
    const selfStake = parseStakeAmount(args.self_stake, 'self_stake');
    const pubkey = await consensusPubkey(this.home, flags.pubkey);
    const commission = { rateBp: flags['commission-rate'], maxRateBp: flags['commission-max-rate'], maxChangeRateBp: flags['commission-max-change-rate'] };
    const result = await signAndBroadcast({
      home: this.home,
      flags,
      from: args.from,
      messages: (operatorAddress) => [{ typeUrl: MSG.createValidator, value: { operatorAddress, pubkey, moniker: flags.moniker, website: flags.website, details: flags.details, commission, selfStake } }],
      show: (unsigned) => this.note(this.outputFormat === 'json' ? JSON.stringify(unsigned, null, 2) : yaml(unsigned)),
      note: (m) => this.note(m),
    });
    if (result.status === 'cancelled') return;
    this.print(result.response, txResponseText);
    if (result.response.code !== 0) this.exit(1);
  }
}
