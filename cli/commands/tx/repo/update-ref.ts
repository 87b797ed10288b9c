import { Args } from '@oclif/core';
import { MsgUpdateRef } from '../../../../proto/gen/guts/repo/v1/tx.js';
import { TYPE_URLS } from '../../../../modules/repo/msgs.js';
import { parseRepoKey, validateObjectId, validateRefName } from '../../../../modules/repo/names.js';
import { BaseCommand } from '../../../base.js';
import { txResponseText } from '../../../format/tx-response.js';
import { txFlags } from '../../../tx.js';
import { powFlag, proofOfWork, sendRepoTx } from './create.js';

/** "-" (or "none") stands for no object: create the ref (old) or delete it (new). */
const objectId = (s: string) => (s === '-' || s === 'none' ? '' : s.toLowerCase());

export default class TxRepoUpdateRef extends BaseCommand<typeof TxRepoUpdateRef> {
  static override summary = 'Move a ref from OLD to NEW (compare-and-swap).';
  static override description = `The chain applies the update only if the ref still holds OLD; otherwise it refuses with repo/4 (stale ref) and you fetch and retry. Use - for OLD to create a ref and - for NEW to delete one. Object ids are 40 (sha1) or 64 (sha256) hex characters.

The owner and collaborators update any ref for free. Anyone else may only push under refs/contrib/<own address>/…, and pays the sybil gate (stake_push of stake, or --pow).`;
  static override usage = '<%= command.id %> FROM_KEY_OR_ADDRESS REPO REF OLD NEW [FLAGS]';
  static override examples = [
    { description: 'Create refs/heads/main', command: '<%= config.bin %> <%= command.id %> alice guts1…/guts refs/heads/main - 3f2a9c…e1 -y' },
    { description: 'Fast-forward it', command: '<%= config.bin %> <%= command.id %> alice guts1…/guts refs/heads/main 3f2a9c…e1 8b01d4…77 -y' },
    { description: 'Propose a change to a repo you do not belong to, paying with work', command: '<%= config.bin %> <%= command.id %> bob guts1…/guts refs/contrib/guts1bob…/fix - 8b01d4…77 --pow -y' },
  ];
  static override args = {
    from: Args.string({ description: 'key name or address that signs and pays', required: true }),
    repo: Args.string({ description: 'repository <owner address>/<name>', required: true }),
    ref: Args.string({ description: 'full ref name, e.g. refs/heads/main', required: true }),
    old: Args.string({ description: 'object id the ref holds now, or - if it does not exist', required: true }),
    new: Args.string({ description: 'object id to set, or - to delete the ref', required: true }),
  };
  static override flags = { ...txFlags, ...powFlag };

  async run(): Promise<void> {
    const { flags, args } = this;
    parseRepoKey(args.repo);
    validateRefName(args.ref);
    const [oldObjectId, newObjectId] = [objectId(args.old), objectId(args.new)];
    validateObjectId(oldObjectId, 'OLD');
    validateObjectId(newObjectId, 'NEW');
    const pow = flags.pow ? await proofOfWork(this.home, flags, args.from, 'push') : undefined;
    const code = await sendRepoTx({
      home: this.home,
      flags,
      json: this.outputFormat === 'json',
      print: (r) => this.print(r, txResponseText),
      note: (m) => this.note(m),
      from: args.from,
      messages: (signer) => [{ typeUrl: TYPE_URLS.updateRef, value: MsgUpdateRef.fromPartial({ signer, repo: args.repo, ref: args.ref, oldObjectId, newObjectId, pow }) }],
    });
    if (code !== 0) this.exit(code);
  }
}
