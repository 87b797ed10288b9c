/**
 * The shared path of every `guts tx …` command, as simd's `tx.GenerateOrBroadcastTxCLI`:
 * resolve the signer from the keyring → connect → estimate gas (`--gas auto`) → fee →
 * show and confirm → sign (SIGN_MODE_DIRECT, stock cosmjs) → broadcast in the chosen mode.
 */
import { Flags } from '@oclif/core';
import { Registry, type EncodeObject } from '@cosmjs/proto-signing';
import { calculateFee, GasPrice, SigningStargateClient, type StdFee } from '@cosmjs/stargate';
import { gutsRegistryTypes } from '../sdk/registry.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { toRfc3339WithNanoseconds } from '@cosmjs/tendermint-rpc';
import { TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import { ErrInvalidChainID, ErrInvalidGasAdjustment, ErrInvalidGasLimit, ErrInvalidRequest } from '../app/errors.js';
import { parseCoinsArg } from './args.js';
import { readClientConfig } from './client-config.js';
import { CliError } from './errors.js';
import { anyToJson } from './format/proto-json.js';
import { checkTxResponse, emptyTxResponse, indexedTxResponse, type TxResponseJson } from './format/tx-response.js';
import { keyringFlags, openCliKeyring, type KeyringFlagValues } from './keyring.js';
import { connectNode, describeQueryError, nodeFlags, resolveNodeUrl, type NodeConnection } from './node-client.js';
import { confirm, isInteractive } from './prompt.js';

export const BROADCAST_MODES = ['sync', 'async', 'block'] as const;
export type BroadcastMode = (typeof BROADCAST_MODES)[number];

export const DEFAULT_GAS_PRICES = '0.025ugut';
/** How long `--broadcast-mode block` waits for the tx to be committed. */
const BLOCK_WAIT_MS = 60_000;
const POLL_MS = 500;

export const txFlags = {
  ...nodeFlags,
  ...keyringFlags,
  from: Flags.string({ summary: 'Key name or address that signs (where the command takes no <from> argument).', helpGroup: 'TX' }),
  'chain-id': Flags.string({ summary: 'Chain ID; default: the node\'s. Signing refuses to go on if the node reports another.', env: 'GUTS_CHAIN_ID', helpGroup: 'TX' }),
  gas: Flags.string({ summary: 'Gas limit, or "auto" to simulate and multiply by --gas-adjustment.', default: 'auto', helpGroup: 'TX' }),
  'gas-adjustment': Flags.string({ summary: 'Factor applied to the simulated gas with --gas auto.', default: '1.3', helpGroup: 'TX' }),
  'gas-prices': Flags.string({ summary: `Gas price that sets the fee (fee = gas limit × price, rounded up); default ${DEFAULT_GAS_PRICES} unless --fees is given.`, helpGroup: 'TX', exclusive: ['fees'] }),
  fees: Flags.string({ summary: 'Exact fee to pay, e.g. 5000ugut (instead of --gas-prices).', helpGroup: 'TX' }),
  memo: Flags.string({ summary: 'Memo to attach to the transaction.', default: '', helpGroup: 'TX' }),
  yes: Flags.boolean({ char: 'y', summary: 'Sign and broadcast without asking for confirmation.', default: false, helpGroup: 'TX' }),
  'broadcast-mode': Flags.option({
    summary: 'sync: wait for CheckTx; async: return at once; block: wait until the tx is in a block.',
    options: BROADCAST_MODES,
    helpGroup: 'TX',
  })(),
};

export interface TxFlagValues extends KeyringFlagValues {
  node?: string;
  from?: string;
  'chain-id'?: string;
  gas: string;
  'gas-adjustment': string;
  'gas-prices'?: string;
  fees?: string;
  memo: string;
  yes: boolean;
  'broadcast-mode'?: BroadcastMode;
}

interface GasSetting {
  auto: boolean;
  limit?: number;
  adjustment: number;
}

function parseGas(flags: TxFlagValues): GasSetting {
  const adjustment = Number(flags['gas-adjustment']);
  if (!Number.isFinite(adjustment) || adjustment <= 0) throw ErrInvalidGasAdjustment.wrap(`--gas-adjustment ${flags['gas-adjustment']} must be a positive number`);
  if (flags.gas === 'auto') return { auto: true, adjustment };
  if (!/^\d+$/.test(flags.gas) || !Number.isSafeInteger(Number(flags.gas)) || Number(flags.gas) === 0) {
    throw ErrInvalidGasLimit.wrap(`--gas ${JSON.stringify(flags.gas)} must be "auto" or a positive integer`);
  }
  return { auto: false, limit: Number(flags.gas), adjustment };
}

function parseGasPrice(s: string): GasPrice {
  try {
    return GasPrice.fromString(s);
  } catch (err) {
    throw ErrInvalidRequest.wrap(`--gas-prices ${JSON.stringify(s)}: ${(err as Error).message}; expected e.g. ${DEFAULT_GAS_PRICES}`);
  }
}

export interface SendTxParams {
  home: string;
  flags: TxFlagValues;
  /** key name or address that signs */
  from: string;
  messages(sender: string): EncodeObject[];
  /** print the unsigned tx for the confirmation prompt */
  show(unsigned: unknown): void;
  note(message: string): void;
}

export type SendTxResult = { status: 'broadcast'; response: TxResponseJson } | { status: 'cancelled' };

const registry = new Registry(gutsRegistryTypes);

/** Sign and broadcast; the returned response has `code` ≠ 0 when the chain refused the tx. */
export async function signAndBroadcast(p: SendTxParams): Promise<SendTxResult> {
  const { flags } = p;
  // everything that can be checked offline first, so mistakes fail fast and before any prompt
  const gas = parseGas(flags);
  const fees = flags.fees === undefined ? undefined : parseCoinsArg(flags.fees, '--fees');
  const gasPrice = fees ? undefined : parseGasPrice(flags['gas-prices'] ?? DEFAULT_GAS_PRICES);
  const config = await readClientConfig(p.home);
  const mode = (flags['broadcast-mode'] ?? config['broadcast-mode'] ?? 'sync') as BroadcastMode;
  if (!(BROADCAST_MODES as readonly string[]).includes(mode)) throw new CliError(`broadcast-mode "${mode}" is not one of ${BROADCAST_MODES.join(', ')}`);
  if (!flags.yes && !isInteractive()) {
    throw new CliError('refusing to sign without confirmation: stdin is not a terminal; pass -y/--yes to sign and broadcast');
  }

  const keyring = await openCliKeyring(p.home, flags);
  const key = await keyring.show(p.from);
  const signer = await keyring.signer(key.name);
  const messages = p.messages(key.address);

  const node = await connectNode(await resolveNodeUrl(p.home, flags.node));
  try {
    const wanted = flags['chain-id'] ?? config['chain-id'];
    if (wanted !== undefined && wanted !== node.chainId) {
      throw ErrInvalidChainID.wrap(`--chain-id is ${wanted} but the node at ${node.url} is on ${node.chainId}`);
    }
    const client = SigningStargateClient.createWithSigner(node.comet, signer, { registry, ...(gasPrice ? { gasPrice } : {}) });

    let gasLimit = gas.limit ?? 0;
    if (gas.auto) {
      const estimate = await node.call(() => client.simulate(key.address, messages, flags.memo)).catch((err: unknown) => {
        throw new CliError(`cannot estimate gas: ${describeQueryError(err).message}`);
      });
      gasLimit = Math.ceil(estimate * gas.adjustment);
      p.note(`estimated gas: ${gasLimit}`);
    }
    const fee: StdFee = fees ? { amount: fees, gas: String(gasLimit) } : calculateFee(gasLimit, gasPrice!);

    if (!flags.yes) {
      p.show({
        body: { messages: messages.map((m) => anyToJson({ typeUrl: m.typeUrl, value: registry.encode(m) })), memo: flags.memo },
        auth_info: { fee: { amount: fee.amount.map((c) => ({ denom: c.denom, amount: c.amount })), gas_limit: fee.gas } },
        chain_id: node.chainId,
        signer: `${key.name} (${key.address})`,
      });
      if (!(await confirm('confirm transaction before signing and broadcasting'))) {
        p.note('transaction cancelled');
        return { status: 'cancelled' };
      }
    }

    const signed = await node.call(() => client.sign(key.address, messages, fee, flags.memo));
    const bytes = TxRaw.encode(signed).finish();
    const txhash = Buffer.from(sha256(bytes)).toString('hex').toUpperCase();
    return { status: 'broadcast', response: await broadcast(node, bytes, txhash, mode) };
  } finally {
    node.disconnect();
  }
}

async function broadcast(node: NodeConnection, tx: Uint8Array, txhash: string, mode: BroadcastMode): Promise<TxResponseJson> {
  if (mode === 'async') {
    await node.call(() => node.comet.broadcastTxAsync({ tx }));
    return emptyTxResponse(txhash);
  }
  const check = await node.call(() => node.comet.broadcastTxSync({ tx }));
  const checked = checkTxResponse(txhash, check);
  if (mode === 'sync' || check.code !== 0) return checked;
  const deadline = Date.now() + BLOCK_WAIT_MS;
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, POLL_MS));
    const found = await node.call(() => node.comet.txSearch({ query: `tx.hash='${txhash}'` }));
    const t = found.txs[0];
    if (t) {
      const block = await node.call(() => node.comet.block(t.height)).catch(() => undefined);
      return indexedTxResponse(t, block ? toRfc3339WithNanoseconds(block.block.header.time) : '');
    }
  }
  throw new CliError(
    `tx ${txhash} passed CheckTx but was not in a block after ${BLOCK_WAIT_MS / 1000}s; check later with \`guts query tx ${txhash}\``,
  );
}
