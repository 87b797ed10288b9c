/**
 * Binds app/tx (decoding, ante, gas, signature verification) to the modules, giving the
 * app its `TxPipeline`. Signatures of a whole block are verified in parallel on the
 * worker pool before the block runs; the ante handler reuses those results.
 */
import type { Any } from 'cosmjs-types/google/protobuf/any';
import { createAnteHandler, type AnteHandler } from '../tx/ante.js';
import { decodeTx, type DecodedTx } from '../tx/decode.js';
import { parseDecCoins, type DecCoin } from '../tx/fees.js';
import { createInfiniteGasMeter, gasKVStore, txGasMeter } from '../tx/gas.js';
import { PreverifiedSignatures, preverifyBlock } from '../tx/preverify.js';
import { createMemoVerifier } from '../tx/verify-memo.js';
import { accountPubkey } from '../tx/signers.js';
import type { SignatureVerifier } from '../tx/secp256k1.js';
import { ErrTxDecode } from '../errors.js';
import { createCacheKV } from '../store/index.js';
import type { KVReader } from '../store/types.js';
import type { TxPipeline } from './app.js';
import type { ModuleManager } from './manager.js';
import type { Modules } from './modules.js';
import { accountKey, decodeAccount } from '../../modules/auth/keeper.js';

export interface PipelineOptions {
  chainId: string;
  modules: Modules;
  manager: ModuleManager;
  verifier: SignatureVerifier;
  /** Node-local minimum gas prices, e.g. "0.025ugut" (checked in CheckTx only). */
  minGasPrices: string;
  maxTxBytes: number;
  /** Consensus param block.max_gas (-1 = unlimited). */
  maxBlockGas: bigint;
}

export type GutsTxPipeline = TxPipeline<DecodedTx>;

function minGasPricesDenom(prices: string): string | undefined {
  return parseDecCoins(prices)[0]?.denom;
}

export function createTxPipeline(opts: PipelineOptions): GutsTxPipeline {
  // Signers per message `Any`: a decoded tx (and so its Anys) is shared by the precheck,
  // CheckTx, the block's preverification and DeliverTx, which each asked for the signers and
  // decoded the message again for it (MsgSend: two bech32 strings and a coin list).
  const signersOf = new WeakMap<Any, readonly string[]>();
  const getSigners = (msg: Any): string[] => {
    const known = signersOf.get(msg);
    if (known !== undefined) return [...known];
    const h = opts.manager.msgHandler(msg.typeUrl);
    if (!h) throw ErrTxDecode.wrap(`unable to resolve type URL ${msg.typeUrl}`);
    const signers = h.getSigners(h.decode(msg.value));
    signersOf.set(msg, [...signers]);
    return signers;
  };
  // Signatures verified once (CheckTx precheck or block preverification) are not verified again.
  const verifier = createMemoVerifier(opts.verifier);
  // ...nor are their sign bytes rebuilt and hashed for the memo: a successful check is kept by
  // (tx hash, signer, account number, key), and the ante handler and later preverifications
  // look it up there first (bench:exec: sign bytes + memo key were ~6% of block execution).
  const verified = new PreverifiedSignatures(opts.chainId, 100_000);
  // A tx is decoded once per bytes object: CheckTx's precheck, CheckTx, the block's
  // preverification and DeliverTx all get the same immutable DecodedTx (the mempool hands
  // the block the very Uint8Array it admitted). Keyed weakly, so it lives as long as the bytes.
  const decoded = new WeakMap<Uint8Array, DecodedTx>();
  const decode = (bytes: Uint8Array): DecodedTx => {
    let tx = decoded.get(bytes);
    if (tx === undefined) {
      tx = decodeTx(bytes, { maxTxBytes: opts.maxTxBytes });
      decoded.set(bytes, tx);
    }
    return tx;
  };
  const ante: AnteHandler = createAnteHandler({
    accountKeeper: opts.modules.auth.keeper,
    bankKeeper: opts.modules.bank.keeper,
    verifier,
    getSigners,
    params: { maxBlockGas: opts.maxBlockGas },
    feeDenom: minGasPricesDenom(opts.minGasPrices) ?? 'ugut',
  });
  const minGasPrices: DecCoin[] = parseDecCoins(opts.minGasPrices);

  return {
    decode: (bytes, { simulate }) => (simulate ? decodeTx(bytes, { maxTxBytes: opts.maxTxBytes, simulate }) : decode(bytes)),
    async ante(ctx, tx, { simulate }) {
      await ante(ctx, tx, { simulate, minGasPrices, preverified: verified });
    },
    gasMeter: (limit) => (limit === undefined ? createInfiniteGasMeter() : txGasMeter(limit, { simulate: false, height: 1 })),
    meteredStore: (store, meter) => gasKVStore(store, meter),
    cache: (parent) => createCacheKV(parent),
    async preverify(txs: Uint8Array[], state: KVReader) {
      const list: DecodedTx[] = [];
      for (const raw of txs) {
        try {
          list.push(decode(raw));
        } catch {
          // DeliverTx reports the decode error for this tx
        }
      }
      // fills the verifier's memo; the ante handler then finds each signature there
      await preverifyBlock(
        list,
        async (address) => {
          let raw: Uint8Array | undefined;
          try {
            raw = await state.get(accountKey(address));
          } catch {
            return undefined;
          }
          if (!raw) return undefined;
          const acc = decodeAccount(raw);
          let pubkey: Uint8Array | undefined;
          try {
            pubkey = accountPubkey(acc);
          } catch {
            pubkey = undefined;
          }
          return { accountNumber: acc.accountNumber, pubkey };
        },
        { chainId: opts.chainId, verifier, getSigners, into: verified },
      );
    },
  };
}
