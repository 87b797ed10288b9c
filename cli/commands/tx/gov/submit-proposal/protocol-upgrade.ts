import { Args, Flags } from '@oclif/core';
import { MsgSubmitProposal } from '../../../../../proto/gen/guts/gov/v1/tx.js';
import { validateContent, validateMetadata } from '../../../../../modules/gov/content.js';
import { ErrInvalidUpgrade } from '../../../../../modules/gov/errors.js';
import { MSG_SUBMIT_PROPOSAL } from '../../../../../modules/gov/msgs.js';
import { BaseCommand, yaml } from '../../../../base.js';
import { registerJsonCodec } from '../../../../format/proto-json.js';
import { txResponseText } from '../../../../format/tx-response.js';
import { signAndBroadcast, txFlags } from '../../../../tx.js';

registerJsonCodec(MSG_SUBMIT_PROPOSAL, MsgSubmitProposal as never);

export default class TxGovSubmitProtocolUpgrade extends BaseCommand<typeof TxGovSubmitProtocolUpgrade> {
  static override summary = 'Propose a protocol upgrade at a block height.';
  static override description = `Once the proposal has passed and its time-lock has run out, the upgrade is scheduled: at ACTIVATION_HEIGHT every node halts with "UPGRADE NEEDED: <name>" unless its binary carries the upgrade handler for NAME, which then migrates the state and goes on from the same data. Choose a height after voting_period + execution_delay (see \`guts query gov params\`); a height already passed at execution makes the proposal fail.`;
  static override usage = '<%= command.id %> FROM NAME VERSION ACTIVATION_HEIGHT [--info <text>] [--title <text>] [--description <text>] [FLAGS]';
  static override examples = ['<%= config.bin %> <%= command.id %> val1 v2 2.0.0 120000 --info "https://github.com/example/guts/releases/v2.0.0" -y'];
  static override args = {
    from: Args.string({ description: 'key name or address of the proposing validator operator', required: true }),
    name: Args.string({ description: 'upgrade name, the key of the handler in the new binary', required: true }),
    version: Args.string({ description: 'version of the binary to run from the activation height', required: true }),
    activation_height: Args.string({ description: 'block height at which the upgrade applies', required: true }),
  };
  static override flags = {
    ...txFlags,
    info: Flags.string({ summary: 'Where operators find the new binary (shown in the halt message).', default: '' }),
    title: Flags.string({ summary: 'Proposal title (default: "Upgrade to <name> (<version>) at height <h>").' }),
    description: Flags.string({ summary: 'Proposal description.', default: '' }),
  };

  async run(): Promise<void> {
    const { flags, args } = this;
    if (!/^[1-9][0-9]{0,15}$/.test(args.activation_height)) throw ErrInvalidUpgrade.wrap(`activation height ${JSON.stringify(args.activation_height)} must be a positive integer`);
    const title = flags.title ?? `Upgrade to ${args.name} (${args.version}) at height ${args.activation_height}`;
    const content = { protocolUpgrade: { name: args.name, version: args.version, activationHeight: BigInt(args.activation_height), info: flags.info } };
    validateMetadata(title, flags.description);
    validateContent(MsgSubmitProposal.fromPartial({ content }).content);
    const result = await signAndBroadcast({
      home: this.home,
      flags,
      from: args.from,
      messages: (proposer) => [{ typeUrl: MSG_SUBMIT_PROPOSAL, value: MsgSubmitProposal.fromPartial({ proposer, title, description: flags.description, content }) }],
      show: (unsigned) => this.note(this.outputFormat === 'json' ? JSON.stringify(unsigned, null, 2) : yaml(unsigned)),
      note: (m) => this.note(m),
    });
    if (result.status === 'cancelled') return;
    this.print(result.response, txResponseText);
    if (result.response.code !== 0) this.exit(1);
  }
}
