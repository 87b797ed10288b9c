import { Args, Flags } from '@oclif/core';
import { MsgSubmitProposal } from '../../../../../proto/gen/guts/gov/v1/tx.js';
import { validateContent, validateMetadata } from '../../../../../modules/gov/content.js';
import { MSG_SUBMIT_PROPOSAL } from '../../../../../modules/gov/msgs.js';
import { BaseCommand, yaml } from '../../../../base.js';
import { registerJsonCodec } from '../../../../format/proto-json.js';
import { txResponseText } from '../../../../format/tx-response.js';
import { signAndBroadcast, txFlags } from '../../../../tx.js';

registerJsonCodec(MSG_SUBMIT_PROPOSAL, MsgSubmitProposal as never);

export default class TxGovSubmitParameterChange extends BaseCommand<typeof TxGovSubmitParameterChange> {
  static override summary = 'Propose to change a module parameter.';
  static override description = `Values are the strings \`guts query <module> params\` shows. The change runs after voting_period and execution_delay, and only if the parameter still has OLD_VALUE then: a proposal whose old value went stale fails (gov/10) and changes nothing. The new value is checked by the module at submission and again at execution.`;
  static override usage = '<%= command.id %> FROM MODULE PARAMETER OLD_VALUE NEW_VALUE [--title <text>] [--description <text>] [FLAGS]';
  static override examples = [
    '<%= config.bin %> <%= command.id %> val1 gov voting_period 86400 172800 --title "Two-day votes" -y',
    '<%= config.bin %> <%= command.id %> val1 staking max_validators 100 120 -y --broadcast-mode block',
  ];
  static override args = {
    from: Args.string({ description: 'key name or address of the proposing validator operator', required: true }),
    module: Args.string({ description: 'module name, e.g. gov, staking', required: true }),
    parameter: Args.string({ description: 'parameter name, e.g. quorum_bps', required: true }),
    old_value: Args.string({ description: 'the current value', required: true }),
    new_value: Args.string({ description: 'the value to set', required: true }),
  };
  static override flags = {
    ...txFlags,
    title: Flags.string({ summary: 'Proposal title (default: "<module>.<parameter>: <old> → <new>").' }),
    description: Flags.string({ summary: 'Proposal description.', default: '' }),
  };

  async run(): Promise<void> {
    const { flags, args } = this;
    const title = flags.title ?? `${args.module}.${args.parameter}: ${args.old_value} → ${args.new_value}`;
    const content = { parameterChange: { module: args.module, parameter: args.parameter, oldValue: args.old_value, newValue: args.new_value } };
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
