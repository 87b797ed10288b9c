import { Args } from '@oclif/core';
import type { MsgSendEncodeObject } from '@cosmjs/stargate';
import { parseAddress, parseCoinsArg } from '../../../args.js';
import { BaseCommand, yaml } from '../../../base.js';
import { CliError } from '../../../errors.js';
import { txResponseText } from '../../../format/tx-response.js';
import { signAndBroadcast, txFlags } from '../../../tx.js';

export default class TxBankSend extends BaseCommand<typeof TxBankSend> {
  static override summary = 'Send coins from a key in the keyring to an address.';
  static override description = `Builds a cosmos.bank.v1beta1.MsgSend, estimates gas (--gas auto, × --gas-adjustment), sets the fee from --gas-prices (or uses --fees), shows the transaction and asks for confirmation, signs it with SIGN_MODE_DIRECT and broadcasts it.

Without -y the confirmation needs a terminal; in scripts pass -y. The output names the tx hash, the result code (0 = accepted) and the node's log. The command exits with status 1 when the chain refuses the transaction (code ≠ 0).`;

  static override usage = '<%= command.id %> FROM_KEY_OR_ADDRESS TO_ADDRESS AMOUNT [FLAGS]';

  static override examples = [
    { description: 'Send 1000ugut, asking for confirmation', command: '<%= config.bin %> <%= command.id %> alice guts19rl4cm2hmr8afy4kldpxz3fka4jguq0a6h2up5 1000ugut' },
    { description: 'From a devnet home, no prompt, wait for the block, JSON output', command: '<%= config.bin %> <%= command.id %> dev guts19rl4cm2hmr8afy4kldpxz3fka4jguq0a6h2up5 1000ugut --home ~/.guts-devnet -y --broadcast-mode block -o json' },
    { description: 'Fixed gas and fee, with a memo, to a remote node', command: '<%= config.bin %> <%= command.id %> alice guts19rl4cm2hmr8afy4kldpxz3fka4jguq0a6h2up5 5ugut --gas 120000 --fees 3000ugut --memo "thanks" --node https://rpc.testnet.example:443' },
  ];

  static override args = {
    from: Args.string({ description: 'key name or address in the keyring that signs and pays', required: true }),
    to_address: Args.string({ description: 'recipient guts1… address' }),
    amount: Args.string({ description: 'coins to send, e.g. 1000ugut or 10ugut,5uatom' }),
  };

  static override flags = { ...txFlags };

  async run(): Promise<void> {
    const { flags } = this;
    let { from, to_address: to, amount } = this.args;
    if (amount === undefined && flags.from !== undefined) [from, to, amount] = [flags.from, from, to];
    if (to === undefined || amount === undefined) {
      throw new CliError('usage: guts tx bank send <from_key_or_address> <to_address> <amount>, e.g. guts tx bank send alice guts1… 1000ugut');
    }
    const toAddress = parseAddress(to, 'to_address');
    const coins = parseCoinsArg(amount);

    const result = await signAndBroadcast({
      home: this.home,
      flags,
      from,
      messages: (fromAddress): MsgSendEncodeObject[] => [
        { typeUrl: '/cosmos.bank.v1beta1.MsgSend', value: { fromAddress, toAddress, amount: coins } },
      ],
      show: (unsigned) => this.note(this.outputFormat === 'json' ? JSON.stringify(unsigned, null, 2) : yaml(unsigned)),
      note: (m) => this.note(m),
    });
    if (result.status === 'cancelled') return;
    this.print(result.response, txResponseText);
    if (result.response.code !== 0) this.exit(1);
  }
}
