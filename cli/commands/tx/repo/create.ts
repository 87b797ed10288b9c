import { Args, Flags } from '@oclif/core';
import { QueryClient } from '@cosmjs/stargate';
import { MsgCreateRepo, MsgAddCollaborator, MsgAnchorCollabEvent, MsgRemoveCollaborator, MsgUpdateRef } from '../../../../proto/gen/guts/repo/v1/tx.js';
import { TYPE_URLS } from '../../../../modules/repo/msgs.js';
import { validateRepoName } from '../../../../modules/repo/names.js';
import { powProgressBar, solvePowForAction, type PowAction } from '../../../../sdk/pow.js';
import { BaseCommand, yaml } from '../../../base.js';
import { CliError } from '../../../errors.js';
import { registerJsonCodec } from '../../../format/proto-json.js';
import { txResponseText } from '../../../format/tx-response.js';
import { openCliKeyring } from '../../../keyring.js';
import { describeQueryError } from '../../../node-client.js';
import { withNode } from '../../../query.js';
import { signAndBroadcast, txFlags, type TxFlagValues } from '../../../tx.js';

registerJsonCodec(TYPE_URLS.createRepo, MsgCreateRepo as never);
registerJsonCodec(TYPE_URLS.updateRef, MsgUpdateRef as never);
registerJsonCodec(TYPE_URLS.addCollaborator, MsgAddCollaborator as never);
registerJsonCodec(TYPE_URLS.removeCollaborator, MsgRemoveCollaborator as never);
registerJsonCodec(TYPE_URLS.anchorCollabEvent, MsgAnchorCollabEvent as never);

export const powFlag = {
  pow: Flags.boolean({ summary: 'Pay the sybil gate with a proof of work (solved here, with a progress bar) instead of stake.', default: false }),
};

/**
 * Solve the sybil proof of work for `action` as the signer `from`: fetch the newest
 * challenge from the node, solve it on this machine and show a progress bar on stderr.
 */
export async function proofOfWork(home: string, flags: TxFlagValues, from: string, action: PowAction): Promise<{ nonce: bigint; blockHeight: bigint }> {
  const key = await (await openCliKeyring(home, flags)).show(from);
  return withNode(home, flags, async (node) => {
    const qc = new QueryClient(node.comet);
    let shown = 0;
    const tty = process.stderr.isTTY === true;
    try {
      const r = await solvePowForAction({
        query: (path, data) => node.call(() => qc.queryAbci(path, data)).then((x) => x.value),
        address: key.address,
        action,
        onProgress: (p) => {
          const now = Date.now();
          if (now - shown < (tty ? 100 : 2000)) return;
          shown = now;
          process.stderr.write(tty ? `\r${powProgressBar(p)}` : `${powProgressBar(p)}\n`);
        },
      });
      process.stderr.write(`${tty ? '\r' : ''}proof of work found after ${r.attempts} hashes (${r.bits} bits); the chain accepts it until height ${r.expiresAfterHeight}\n`);
      return r.pow;
    } catch (err) {
      if (tty) process.stderr.write('\n');
      throw new CliError(`cannot solve the proof of work: ${describeQueryError(err).message}`);
    }
  });
}

export interface RepoTxParams {
  home: string;
  flags: TxFlagValues;
  from: string;
  messages(signer: string): { typeUrl: string; value: unknown }[];
  /** the command's print (JSON or text) and stderr note */
  print(response: unknown): void;
  note(message: string): void;
  json: boolean;
}

/** The common end of every repo tx command; returns the exit code (1 when the chain refused the tx). */
export async function sendRepoTx(p: RepoTxParams): Promise<number> {
  const result = await signAndBroadcast({
    home: p.home,
    flags: p.flags,
    from: p.from,
    messages: p.messages,
    show: (unsigned) => p.note(p.json ? JSON.stringify(unsigned, null, 2) : yaml(unsigned)),
    note: p.note,
  });
  if (result.status === 'cancelled') return 0;
  p.print(result.response);
  return result.response.code === 0 ? 0 : 1;
}

export default class TxRepoCreate extends BaseCommand<typeof TxRepoCreate> {
  static override summary = 'Create the repository <your address>/<name>.';
  static override description = `Repositories are keyed by owner address and name, so names never collide across owners. Creation passes the sybil gate: the signer needs stake_create_repo of stake (less its reputation discount), or --pow to solve a proof of work (pow_bits_create_repo bits, 20 by default: a few seconds) instead.`;
  static override usage = '<%= command.id %> FROM_KEY_OR_ADDRESS NAME [FLAGS]';
  static override examples = [
    { description: 'Create alice/guts, paying with stake', command: '<%= config.bin %> <%= command.id %> alice guts -y' },
    { description: 'Create it with a proof of work instead', command: '<%= config.bin %> <%= command.id %> alice guts --pow -y --broadcast-mode block' },
  ];
  static override args = {
    from: Args.string({ description: 'key name or address that owns the new repository and pays', required: true }),
    name: Args.string({ description: 'repository name: 1-100 characters [A-Za-z0-9._-]', required: true }),
  };
  static override flags = { ...txFlags, ...powFlag };

  async run(): Promise<void> {
    const { flags, args } = this;
    validateRepoName(args.name);
    const pow = flags.pow ? await proofOfWork(this.home, flags, args.from, 'create_repo') : undefined;
    const code = await sendRepoTx({
      home: this.home,
      flags,
      json: this.outputFormat === 'json',
      print: (r) => this.print(r, txResponseText),
      note: (m) => this.note(m),
      from: args.from,
      messages: (owner) => [{ typeUrl: TYPE_URLS.createRepo, value: MsgCreateRepo.fromPartial({ owner, name: args.name, pow }) }],
    });
    if (code !== 0) this.exit(code);
  }
}
