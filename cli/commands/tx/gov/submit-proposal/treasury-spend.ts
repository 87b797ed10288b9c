import { Args, Flags } from '@oclif/core';
import { MsgSubmitProposal } from '../../../../../proto/gen/guts/gov/v1/tx.js';
import { validateContent, validateMetadata } from '../../../../../modules/gov/content.js';
import { MSG_SUBMIT_PROPOSAL } from '../../../../../modules/gov/msgs.js';
import { parseAddress, parseCoinsArg } from '../../../../args.js';
import { BaseCommand, yaml } from '../../../../base.js';
import { registerJsonCodec } from '../../../../format/proto-json.js';
import { txResponseText } from '../../../../format/tx-response.js';
import { signAndBroadcast, txFlags } from '../../../../tx.js';

registerJsonCodec(MSG_SUBMIT_PROPOSAL, MsgSubmitProposal as never);

export default class TxGovSubmitTreasurySpend extends BaseCommand<typeof TxGovSubmitTreasurySpend> {
  static override summary = 'Propose a payment from the community pool (the treasury).';
  static override description = `Pays AMOUNT from the bank balance of module account \`treasury\` to RECIPIENT after voting_period and execution_delay. If the pool holds less than AMOUNT then, the proposal fails and nothing moves.`;
  static override usage = '<%= command.id %> FROM RECIPIENT AMOUNT --purpose <text> [--title <text>] [--description <text>] [FLAGS]';
  static override examples = ['<%= config.bin %> <%= command.id %> val1 guts19rl4cm2hmr8afy4kldpxz3fka4jguq0a6h2up5 5000000ugut --purpose "security audit of the repo module" -y'];
  static override args = {
    from: Args.string({ description: 'key name or address of the proposing validator operator', required: true }),
    recipient: Args.string({ description: 'guts1… address that receives the payment', required: true }),
    amount: Args.string({ description: 'coins, e.g. 5000000ugut', required: true }),
  };
  static override flags = {
    ...txFlags,
    purpose: Flags.string({ summary: 'What the payment is for.', required: true }),
    title: Flags.string({ summary: 'Proposal title (default: "Treasury: <amount> to <recipient>").' }),
    description: Flags.string({ summary: 'Proposal description.', default: '' }),
  };

  async run(): Promise<void> {
    const { flags, args } = this;
    const recipient = parseAddress(args.recipient, 'recipient');
    const amount = parseCoinsArg(args.amount).sort((a, b) => (a.denom < b.denom ? -1 : a.denom > b.denom ? 1 : 0));
    const title = flags.title ?? `Treasury: ${args.amount} to ${recipient}`;
    const content = { treasurySpend: { recipient, amount, purpose: flags.purpose } };
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
