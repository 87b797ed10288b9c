/**
 * The ante handler: everything a tx must pass before its messages run, in the order of
 * cosmos-sdk's default chain (x/auth/ante/ante.go NewAnteHandler), so that when a tx
 * has several faults the error a wallet sees is the one a Cosmos chain would report:
 *
 *   validate basic → timeout → memo → tx-size gas → fee check (CheckTx) and deduction
 *   → set pubkeys → signature count → signature gas → sequence + signature → increment
 *
 * Gas is charged on `ctx.gasMeter`, which the caller builds with `txGasMeter` (and
 * wraps `ctx.store` with `gasKVStore` on the same meter). If the handler throws, the
 * caller discards its state writes (the fee is only kept when the ante succeeded).
 */
import type { BaseAccount } from 'cosmjs-types/cosmos/auth/v1beta1/auth';
import type { Timestamp } from 'cosmjs-types/google/protobuf/timestamp';
import type { Context } from '../chain/context.js';
import {
  ErrInsufficientFee,
  ErrInsufficientFunds,
  ErrInvalidGasLimit,
  ErrInvalidPubKey,
  ErrInvalidRequest,
  ErrMemoTooLarge,
  ErrNoSignatures,
  ErrTooManySignatures,
  ErrTxTimeoutHeight,
  ErrUnauthorized,
  ErrUnknownAddress,
  ErrWrongSequence,
} from '../errors.js';
import type { DecodedTx } from './decode.js';
import type { AccountKeeper, BankKeeper } from './expected.js';
import { coversAny, formatCoins, requiredFees, txPriority, type DecCoin, type FeeCoin } from './fees.js';
import type { PreverifiedSignatures } from './preverify.js';
import { pubkeyToAddress, type SignatureVerifier, type VerifyItem } from './secp256k1.js';
import { directSignBytes } from './signdoc.js';
import { accountPubkey, pubkeyAny, txSigners, type GetSigners } from './signers.js';

/** cosmos-sdk types/tx `MaxGasWanted`: gas must fit an int64. */
export const MAX_GAS_WANTED = (1n << 63n) - 1n;

/**
 * Bytes of a legacy-amino StdSignature{secp256k1 pubkey, 64-byte sig}: 2+4+1+33 for the
 * key, 2+64 for the signature. Simulation charges tx-size gas for it (plus 6, as
 * cosmos-sdk ConsumeTxSizeGasDecorator does) because cosmjs simulates with empty signatures.
 */
export const SIMULATED_SIGNATURE_BYTES = 106n;

export interface AnteParams {
  /** Consensus param block.max_gas; a tx may not want more. ≤ 0 or absent: no limit. */
  maxBlockGas?: bigint;
}

export interface AnteHandlerInit {
  accountKeeper: AccountKeeper;
  bankKeeper: BankKeeper;
  verifier: SignatureVerifier;
  getSigners: GetSigners;
  /** Module account that receives fees; default 'fee_collector'. */
  feeCollector?: string;
  params?: AnteParams | ((ctx: Context) => AnteParams | Promise<AnteParams>);
  /** Fee denom charged in simulation when the simulated tx carries no fee (see DeductFeeDecorator below). */
  feeDenom?: string;
}

export interface AnteOptions {
  /** Estimating gas: skip signature checks but charge their gas. Default: ctx.mode === 'simulate'. */
  simulate?: boolean;
  /** CheckTx/ReCheckTx: enforce the node's min gas prices. Default: ctx.mode is 'check' or 'recheck'. */
  checkOnly?: boolean;
  /** Node-local minimum gas prices (app.toml minimum-gas-prices), see `parseDecCoins`. */
  minGasPrices?: readonly DecCoin[];
  /** Signatures already verified for this block by `preverifyBlock`. */
  preverified?: PreverifiedSignatures;
}

export interface AnteResult {
  gasWanted: bigint;
  fee: FeeCoin[];
  feePayer: string;
  signers: string[];
  /** Mempool priority: the lowest per-denom gas price paid. */
  priority: bigint;
}

export type AnteHandler = (ctx: Context, tx: DecodedTx, opts?: AnteOptions) => Promise<AnteResult>;

function after(a: Timestamp, b: Timestamp): boolean {
  return a.seconds > b.seconds || (a.seconds === b.seconds && a.nanos > b.nanos);
}

function validateBasic(ctx: Context, tx: DecodedTx, signers: string[], simulate: boolean, params: AnteParams): void {
  if (tx.signatures.length === 0) throw ErrNoSignatures.wrap('tx has no signatures; every message signer must sign');
  if (signers.length !== tx.signatures.length) {
    throw ErrUnauthorized.wrap(`wrong number of signers; expected ${signers.length}, got ${tx.signatures.length}`);
  }
  const gas = tx.fee.gasLimit;
  if (gas > MAX_GAS_WANTED) throw ErrInvalidGasLimit.wrap(`invalid gas supplied; ${gas} > ${MAX_GAS_WANTED}`);
  if (!simulate && gas === 0n) throw ErrInvalidGasLimit.wrap('gas limit is 0; set a positive gas limit (or simulate with --gas auto)');
  if (params.maxBlockGas !== undefined && params.maxBlockGas > 0n && gas > params.maxBlockGas) {
    throw ErrInvalidGasLimit.wrap(`tx gas limit ${gas} exceeds block max gas ${params.maxBlockGas}`);
  }
  if (tx.timeoutHeight > 0n && BigInt(ctx.height) > tx.timeoutHeight) {
    throw ErrTxTimeoutHeight.wrap(`block height: ${ctx.height}, timeout height: ${tx.timeoutHeight}`);
  }
  const ts = tx.timeoutTimestamp;
  if (ts !== undefined && (ts.seconds !== 0n || ts.nanos !== 0) && after(ctx.time, ts)) {
    throw ErrTxTimeoutHeight.wrap(`block time: ${ctx.time.seconds}s, timeout timestamp: ${ts.seconds}s`);
  }
}

export function createAnteHandler(init: AnteHandlerInit): AnteHandler {
  const { accountKeeper, bankKeeper, verifier, getSigners } = init;
  const feeCollector = init.feeCollector ?? 'fee_collector';

  return async function ante(ctx, tx, opts = {}) {
    const simulate = opts.simulate ?? ctx.mode === 'simulate';
    const checkFee = (opts.checkOnly ?? (ctx.mode === 'check' || ctx.mode === 'recheck')) && !simulate;
    // cosmos-sdk SigVerificationDecorator: a tx re-checked after a block was verified when it entered the mempool.
    const verifySigs = !simulate && ctx.mode !== 'recheck';
    const params = typeof init.params === 'function' ? await init.params(ctx) : init.params ?? {};
    const auth = await accountKeeper.getParams(ctx);

    const signers = txSigners(tx, getSigners);
    validateBasic(ctx, tx, signers, simulate, params);

    const memoBytes = Buffer.byteLength(tx.memo, 'utf8');
    if (BigInt(memoBytes) > auth.maxMemoCharacters) {
      throw ErrMemoTooLarge.wrap(`maximum number of characters is ${auth.maxMemoCharacters} but received ${memoBytes} characters`);
    }

    ctx.gasMeter.consume(auth.txSizeCostPerByte * BigInt(tx.raw.length), 'txSize');
    if (simulate) {
      for (const _ of signers) ctx.gasMeter.consume(auth.txSizeCostPerByte * (SIMULATED_SIGNATURE_BYTES + 6n), 'txSize');
    }

    // DeductFeeDecorator
    const fee = tx.fee.amount;
    const gas = tx.fee.gasLimit;
    if (tx.fee.granter !== '') throw ErrInvalidRequest.wrap('fee grants are not enabled on this chain; leave fee.granter empty');
    const minGasPrices = (opts.minGasPrices ?? []).filter((p) => p.amount > 0n);
    if (checkFee && minGasPrices.length > 0) {
      const required = requiredFees(minGasPrices, gas);
      if (!coversAny(fee, required)) {
        throw ErrInsufficientFee.wrap(`insufficient fees; got: ${formatCoins(fee) || '0'} required: ${formatCoins(required)}`);
      }
    }
    const feePayer = tx.fee.payer !== '' ? tx.fee.payer : signers[0];
    if ((await accountKeeper.getAccount(ctx, feePayer)) === undefined) {
      throw ErrUnknownAddress.wrap(`fee payer address: ${feePayer} does not exist`);
    }
    if (fee.length > 0) {
      await bankKeeper.sendCoinsFromAccountToModule(ctx, feePayer, feeCollector, fee.map((c) => ({ denom: c.denom, amount: c.amount.toString() })));
    } else if (simulate && init.feeDenom) {
      // cosmjs and the CLI simulate with an empty fee; the real tx will pay one. Move a
      // token in the (discarded) simulation state so the estimate includes the gas of
      // the fee transfer (~9k), or `--gas auto` runs out of gas (measured: 34.7k
      // simulated vs 46.2k used before this).
      try {
        await bankKeeper.sendCoinsFromAccountToModule(ctx, feePayer, feeCollector, [{ denom: init.feeDenom, amount: '1' }]);
      } catch (err) {
        if (!ErrInsufficientFunds.is(err)) throw err;
      }
    }
    ctx.events.emit('tx', { fee: formatCoins(fee), fee_payer: feePayer });

    // SetPubKeyDecorator
    const accounts: BaseAccount[] = [];
    const pubkeys: (Uint8Array | undefined)[] = [];
    for (let i = 0; i < signers.length; i++) {
      const found = await accountKeeper.getAccount(ctx, signers[i]);
      if (found === undefined) throw ErrUnknownAddress.wrap(`account ${signers[i]} does not exist; it must receive funds before it can sign`);
      const acc: BaseAccount = { ...found }; // written back only if the whole ante passes
      const given = tx.signerInfos[i].pubkey;
      if (given !== undefined && pubkeyToAddress(given) !== signers[i]) {
        throw ErrInvalidPubKey.wrap(`pubKey does not match signer address ${signers[i]} with signer index: ${i}`);
      }
      const stored = accountPubkey(acc);
      if (stored === undefined && given !== undefined) acc.pubKey = pubkeyAny(given);
      accounts.push(acc);
      pubkeys.push(stored ?? given);
      ctx.events.emit('tx', { acc_seq: `${signers[i]}/${acc.sequence}` });
      ctx.events.emit('tx', { signature: Buffer.from(tx.signatures[i].buffer, tx.signatures[i].byteOffset, tx.signatures[i].length).toString('base64') });
    }

    // ValidateSigCountDecorator (single keys only: one signature per signer)
    if (BigInt(signers.length) > auth.txSigLimit) {
      throw ErrTooManySignatures.wrap(`signatures: ${signers.length}, limit: ${auth.txSigLimit}`);
    }

    // SigGasConsumeDecorator
    for (const _ of signers) ctx.gasMeter.consume(auth.sigVerifyCostSecp256k1, 'ante verify: secp256k1');

    // SigVerificationDecorator: all signatures that need checking go to the verifier in one batch.
    const toVerify: VerifyItem[] = [];
    const slot: number[] = signers.map(() => -1);
    accounts.forEach((acc, i) => {
      const pk = pubkeys[i];
      if (!verifySigs || pk === undefined || acc.sequence !== tx.signerInfos[i].sequence) return;
      if (opts.preverified?.has(ctx.chainId, tx.hashHex, i, acc.accountNumber, pk)) return;
      const msg = directSignBytes({ bodyBytes: tx.bodyBytes, authInfoBytes: tx.authInfoBytes, chainId: ctx.chainId, accountNumber: acc.accountNumber });
      slot[i] = toVerify.push({ pubkey: pk, msg, sig: tx.signatures[i] }) - 1;
    });
    const verified = toVerify.length > 0 ? await verifier.verify(toVerify) : [];
    accounts.forEach((acc, i) => {
      if (pubkeys[i] === undefined && !simulate) throw ErrInvalidPubKey.wrap(`pubkey on account ${signers[i]} is not set; include it in signer_infos`);
      if (acc.sequence !== tx.signerInfos[i].sequence) {
        throw ErrWrongSequence.wrap(`account sequence mismatch, expected ${acc.sequence}, got ${tx.signerInfos[i].sequence}`);
      }
      if (slot[i] >= 0 && !verified[slot[i]]) {
        throw ErrUnauthorized.wrap(
          `signature verification failed; please verify account number (${acc.accountNumber}), sequence (${acc.sequence}) and chain-id (${ctx.chainId})`,
        );
      }
    });

    // IncrementSequenceDecorator (one write per account, together with a newly set pubkey)
    for (const acc of accounts) {
      acc.sequence += 1n;
      await accountKeeper.setAccount(ctx, acc);
    }

    return { gasWanted: gas, fee, feePayer, signers, priority: txPriority(fee, gas) };
  };
}
