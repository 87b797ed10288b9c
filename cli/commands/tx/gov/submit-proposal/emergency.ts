import { Args, Flags } from '@oclif/core';
import { EmergencyAction } from '../../../../../proto/gen/guts/gov/v1/gov.js';
import { MsgSubmitProposal } from '../../../../../proto/gen/guts/gov/v1/tx.js';
import { validateContent, validateMetadata } from '../../../../../modules/gov/content.js';
import { MSG_SUBMIT_PROPOSAL } from '../../../../../modules/gov/msgs.js';
import { BaseCommand, yaml } from '../../../../base.js';
import { registerJsonCodec } from '../../../../format/proto-json.js';
import { txResponseText } from '../../../../format/tx-response.js';
import { signAndBroadcast, txFlags } from '../../../../tx.js';

registerJsonCodec(MSG_SUBMIT_PROPOSAL, MsgSubmitProposal as never);

const ACTIONS = { pause: EmergencyAction.EMERGENCY_ACTION_PAUSE_MODULE, resume: EmergencyAction.EMERGENCY_ACTION_RESUME_MODULE, jail: EmergencyAction.EMERGENCY_ACTION_JAIL_VALIDATOR } as const;

export default class TxGovSubmitEmergency extends BaseCommand<typeof TxGovSubmitEmergency> {
  static override summary = 'Propose an emergency action: pause or resume a module\'s messages, or jail a validator.';
  static override description = `Emergency proposals vote for emergency_voting_period, need emergency_approval_bps of the non-abstain votes (default: more than 2/3) and run as soon as they pass, with no time-lock. A paused module's messages are refused in CheckTx and DeliverTx (gov/12) until a resume proposal passes; gov's own messages cannot be paused.`;
  static override usage = '<%= command.id %> FROM pause|resume MODULE --justification <text> | FROM jail VALIDATOR_OPERATOR --justification <text>';
  static override examples = [
    '<%= config.bin %> <%= command.id %> val1 pause bank --justification "exploit in MsgSend, see advisory 7" -y',
    '<%= config.bin %> <%= command.id %> val1 resume bank --justification "fixed in v1.0.1" -y',
    '<%= config.bin %> <%= command.id %> val1 jail guts19rl4cm2hmr8afy4kldpxz3fka4jguq0a6h2up5 --justification "signing conflicting blocks" -y',
  ];
  static override args = {
    from: Args.string({ description: 'key name or address of the proposing validator operator', required: true }),
    action: Args.string({ description: 'pause | resume | jail', required: true, options: Object.keys(ACTIONS) }),
    target: Args.string({ description: 'module name (pause, resume) or validator operator address (jail)', required: true }),
  };
  static override flags = {
    ...txFlags,
    justification: Flags.string({ summary: 'Why this cannot wait for a normal proposal.', required: true }),
    title: Flags.string({ summary: 'Proposal title (default: "Emergency: <action> <target>").' }),
    description: Flags.string({ summary: 'Proposal description.', default: '' }),
  };

  async run(): Promise<void> {
    const { flags, args } = this;
    const action = ACTIONS[args.action as keyof typeof ACTIONS];
    const jail = action === EmergencyAction.EMERGENCY_ACTION_JAIL_VALIDATOR;
    const title = flags.title ?? `Emergency: ${args.action} ${args.target}`;
    const content = { emergency: { action, module: jail ? '' : args.target, validator: jail ? args.target : '', justification: flags.justification } };
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
