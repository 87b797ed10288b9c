import { Args, Flags } from '@oclif/core';
import { MsgFaucetRequest } from '../../../../proto/gen/guts/faucet/v1/tx.js';
import { FAUCET_REQUEST_TYPE_URL } from '../../../../modules/faucet/msgs.js';
import { FaucetError, requestFaucet } from '../../../../sdk/faucet.js';
import { parseAddress } from '../../../args.js';
import { BaseCommand, yaml } from '../../../base.js';
import { CliError } from '../../../errors.js';
import { registerJsonCodec } from '../../../format/proto-json.js';
import { txResponseText } from '../../../format/tx-response.js';
import { signAndBroadcast, txFlags } from '../../../tx.js';

registerJsonCodec(FAUCET_REQUEST_TYPE_URL, MsgFaucetRequest as never);

export default class TxFaucetRequest extends BaseCommand<typeof TxFaucetRequest> {
  static override summary = 'Get testnet tokens from the faucet for an address.';
  static override description = `Two ways, the same on-chain rules (amount_per_request, a lifetime limit per address, a cooldown in block time; "faucet empty" when the faucet account cannot pay):

• --url: ask a node's faucet front end (POST /faucet; \`guts devnet\` serves one on http://127.0.0.1:8000). No key needed: the node signs with its faucet operator key.
• --from: sign MsgFaucetRequest yourself with a funded key (it pays the fee; the tokens go to ADDRESS).`;
  static override usage = '<%= command.id %> ADDRESS (--url URL | --from KEY) [FLAGS]';
  static override examples = [
    { description: 'From the local devnet faucet', command: '<%= config.bin %> <%= command.id %> guts19rl4cm2hmr8afy4kldpxz3fka4jguq0a6h2up5 --url http://127.0.0.1:8000' },
    { description: 'Signed by a funded key, waiting for the block', command: '<%= config.bin %> <%= command.id %> guts19rl4cm2hmr8afy4kldpxz3fka4jguq0a6h2up5 --from dev -y --broadcast-mode block' },
  ];
  static override args = {
    address: Args.string({ description: 'guts1… address that receives the tokens', required: true }),
  };
  static override flags = {
    ...txFlags,
    url: Flags.string({ summary: 'Faucet HTTP front end to ask, e.g. http://127.0.0.1:8000 (instead of signing with --from).', exclusive: ['from'] }),
  };

  async run(): Promise<void> {
    const { flags } = this;
    const recipient = parseAddress(this.args.address);
    if (flags.url !== undefined) {
      try {
        this.print(await requestFaucet({ url: flags.url, address: recipient }));
      } catch (err) {
        if (err instanceof FaucetError) throw new CliError(err.message);
        throw err;
      }
      return;
    }
    if (flags.from === undefined) throw new CliError('give --url <faucet URL> to ask a faucet front end, or --from <key> to sign the request yourself');
    const result = await signAndBroadcast({
      home: this.home,
      flags,
      from: flags.from,
      messages: (sender) => [{ typeUrl: FAUCET_REQUEST_TYPE_URL, value: MsgFaucetRequest.fromPartial({ sender, recipient }) }],
      show: (unsigned) => this.note(this.outputFormat === 'json' ? JSON.stringify(unsigned, null, 2) : yaml(unsigned)),
      note: (m) => this.note(m),
    });
    if (result.status === 'cancelled') return;
    this.print(result.response, txResponseText);
    if (result.response.code !== 0) this.exit(1);
  }
}
