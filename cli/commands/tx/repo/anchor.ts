import { Args } from '@oclif/core';
import { fromHex } from '@cosmjs/encoding';
import { MsgAnchorCollabEvent } from '../../../../proto/gen/guts/repo/v1/tx.js';
import { TYPE_URLS } from '../../../../modules/repo/msgs.js';
import { COLLAB_EVENT_NAMES, parseRepoKey, validateCollabItem } from '../../../../modules/repo/names.js';
import { ErrInvalidCollabEvent } from '../../../../modules/repo/errors.js';
import { BaseCommand } from '../../../base.js';
import { txResponseText } from '../../../format/tx-response.js';
import { txFlags } from '../../../tx.js';
import { powFlag, proofOfWork, sendRepoTx } from './create.js';

export default class TxRepoAnchor extends BaseCommand<typeof TxRepoAnchor> {
  static override summary = 'Anchor the content hash of an issue, pull request, comment or review.';
  static override description = `Records sha256 of the item's content on chain (the content itself travels over gossip as a CollaborationEvent). Re-anchoring the same item (an edit) is for its first author and bumps its revision. Passes the sybil gate: stake_collaboration of stake, or --pow.`;
  static override usage = '<%= command.id %> FROM_KEY_OR_ADDRESS REPO TYPE ITEM_ID CONTENT_HASH [FLAGS]';
  static override examples = [
    { description: 'Anchor a new issue', command: '<%= config.bin %> <%= command.id %> alice guts1…/guts issue 0b4e7c1a-5f7e-4c2a-9d1e-3b2f6a8c9d00 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08 -y' },
    { description: 'Anchor a review with a proof of work', command: '<%= config.bin %> <%= command.id %> bob guts1…/guts review r-17 9f86…0a08 --pow -y' },
  ];
  static override args = {
    from: Args.string({ description: 'key name or address that authors the item and pays', required: true }),
    repo: Args.string({ description: 'repository <owner address>/<name>', required: true }),
    type: Args.string({ description: 'issue | pull_request | comment | review', required: true }),
    item_id: Args.string({ description: 'item id (1-128 characters [A-Za-z0-9._:-], e.g. a UUID)', required: true }),
    content_hash: Args.string({ description: 'sha256 of the content, 64 hex characters', required: true }),
  };
  static override flags = { ...txFlags, ...powFlag };

  async run(): Promise<void> {
    const { flags, args } = this;
    parseRepoKey(args.repo);
    const eventType = Number(Object.entries(COLLAB_EVENT_NAMES).find(([, n]) => n === args.type.toLowerCase().replace(/-/g, '_'))?.[0] ?? 0);
    if (!/^[0-9a-fA-F]{64}$/.test(args.content_hash)) throw ErrInvalidCollabEvent.wrap('CONTENT_HASH must be 64 hex characters (sha256)');
    const contentHash = fromHex(args.content_hash.toLowerCase());
    validateCollabItem(eventType, args.item_id, contentHash);
    const pow = flags.pow ? await proofOfWork(this.home, flags, args.from, 'collaboration') : undefined;
    const code = await sendRepoTx({
      home: this.home,
      flags,
      json: this.outputFormat === 'json',
      print: (r) => this.print(r, txResponseText),
      note: (m) => this.note(m),
      from: args.from,
      messages: (author) => [{ typeUrl: TYPE_URLS.anchorCollabEvent, value: MsgAnchorCollabEvent.fromPartial({ author, repo: args.repo, eventType, itemId: args.item_id, contentHash, pow }) }],
    });
    if (code !== 0) this.exit(code);
  }
}
