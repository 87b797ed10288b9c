import { Args } from '@oclif/core';
import { MsgAddCollaborator } from '../../../../proto/gen/guts/repo/v1/tx.js';
import { TYPE_URLS } from '../../../../modules/repo/msgs.js';
import { parseRepoKey } from '../../../../modules/repo/names.js';
import { parseAddress } from '../../../args.js';
import { BaseCommand } from '../../../base.js';
import { txResponseText } from '../../../format/tx-response.js';
import { txFlags } from '../../../tx.js';
import { sendRepoTx } from './create.js';

export default class TxRepoAddCollaborator extends BaseCommand<typeof TxRepoAddCollaborator> {
  static override summary = 'Let an address push to your repository for free.';
  static override description = 'Only the owner adds collaborators (at most max_collaborators). Collaborators update any ref without stake or work.';
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
      messages: (owner) => [{ typeUrl: TYPE_URLS.addCollaborator, value: MsgAddCollaborator.fromPartial({ owner, repo: args.repo, collaborator }) }],
    });
    if (code !== 0) this.exit(code);
  }
}
