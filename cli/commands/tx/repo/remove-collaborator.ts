import { Args } from '@oclif/core';
import { MsgRemoveCollaborator } from '../../../../proto/gen/guts/repo/v1/tx.js';
import { TYPE_URLS } from '../../../../modules/repo/msgs.js';
import { parseRepoKey } from '../../../../modules/repo/names.js';
import { parseAddress } from '../../../args.js';
import { BaseCommand } from '../../../base.js';
import { txResponseText } from '../../../format/tx-response.js';
import { txFlags } from '../../../tx.js';
import { sendRepoTx } from './create.js';

export default class TxRepoRemoveCollaborator extends BaseCommand<typeof TxRepoRemoveCollaborator> {
  static override summary = 'Remove a collaborator (the owner, or the collaborator leaving).';
  static override description = 'After removal the address pushes only under refs/contrib/<its address>/, paying the sybil gate.';
  static override usage = '<%= command.id %> FROM_KEY_OR_ADDRESS REPO COLLABORATOR [FLAGS]';
  static override examples = ['<%= config.bin %> <%= command.id %> alice guts1…/guts guts19rl4cm2hmr8afy4kldpxz3fka4jguq0a6h2up5 -y'];
  static override args = {
    from: Args.string({ description: 'key name or address that signs and pays', required: true }),
    repo: Args.string({ description: 'repository <owner address>/<name>', required: true }),
    collaborator: Args.string({ description: 'guts1… address of the collaborator', required: true }),
  };
  static override flags = { ...txFlags };

  async run(): Promise<void> {
    const { flags, args } = this;
    parseRepoKey(args.repo);
    const collaborator = parseAddress(args.collaborator, 'collaborator');
    const code = await sendRepoTx({
      home: this.home,
      flags,
      json: this.outputFormat === 'json',
      print: (r) => this.print(r, txResponseText),
      note: (m) => this.note(m),
      from: args.from,
      messages: (signer) => [{ typeUrl: TYPE_URLS.removeCollaborator, value: MsgRemoveCollaborator.fromPartial({ signer, repo: args.repo, collaborator }) }],
    });
    if (code !== 0) this.exit(code);
  }
}
