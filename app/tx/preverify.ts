/**
 * Block-level signature preverification: before a block's txs run one by one, verify
 * every signature we can on the worker pool at once, so sequential DeliverTx only
 * looks the result up. Sign bytes need the signer's account number, which lives in
 * state; the caller passes a lookup of block-start state. A signer unknown there (an
 * account created earlier in the same block) is left to the ante handler.
 *
 * A result is keyed by everything the signature check depends on — chain id, tx hash
 * (which commits to body, auth info and signatures), signer index, account number and
 * public key — so the ante handler can only reuse it when its own check would be the
 * same computation.
 */
import { directSignBytes } from './signdoc.js';
import type { DecodedTx } from './decode.js';
import type { SignatureVerifier, VerifyItem } from './secp256k1.js';
import { txSigners, type GetSigners } from './signers.js';

export interface SignerAccountInfo {
  accountNumber: bigint;
  /** The key stored on the account, used when the tx omits its signer_info key. */
  pubkey?: Uint8Array;
}

export type AccountLookup = (address: string) => SignerAccountInfo | undefined | Promise<SignerAccountInfo | undefined>;

export class PreverifiedSignatures {
  private ok = new Set<string>();
  /** The previous generation when bounded: kept until `ok` fills up again. */
  private older = new Set<string>();

  /**
   * `capacity` bounds a long-lived set (the pipeline keeps one across CheckTx and blocks):
   * it keeps between capacity/2 and capacity of the most recent results.
   */
  constructor(
    readonly chainId: string,
    private readonly capacity = Infinity,
  ) {}

  private static id(txHashHex: string, index: number, accountNumber: bigint, pubkey: Uint8Array): string {
    return `${txHashHex}/${index}/${accountNumber}/${Buffer.from(pubkey.buffer, pubkey.byteOffset, pubkey.length).toString('hex')}`;
  }

  add(txHashHex: string, index: number, accountNumber: bigint, pubkey: Uint8Array): void {
    this.ok.add(PreverifiedSignatures.id(txHashHex, index, accountNumber, pubkey));
    if (this.ok.size >= this.capacity / 2) {
      this.older = this.ok;
      this.ok = new Set();
    }
  }

  has(chainId: string, txHashHex: string, index: number, accountNumber: bigint, pubkey: Uint8Array): boolean {
    if (chainId !== this.chainId) return false;
    const id = PreverifiedSignatures.id(txHashHex, index, accountNumber, pubkey);
    return this.ok.has(id) || this.older.has(id);
  }

  get size(): number {
    return this.ok.size + this.older.size;
  }
}

export interface PreverifyOptions {
  chainId: string;
  verifier: SignatureVerifier;
  getSigners: GetSigners;
  /**
   * Add the results to this set (same chain id) instead of a new one; signatures already in
   * it are not checked again (e.g. verified when the tx entered the mempool).
   */
  into?: PreverifiedSignatures;
}

export async function preverifyBlock(txs: readonly DecodedTx[], lookup: AccountLookup, opts: PreverifyOptions): Promise<PreverifiedSignatures> {
  if (opts.into && opts.into.chainId !== opts.chainId) throw new Error(`preverify into a set for chain ${opts.into.chainId}, not ${opts.chainId}`);
  const result = opts.into ?? new PreverifiedSignatures(opts.chainId);
  const items: VerifyItem[] = [];
  const keys: { tx: DecodedTx; index: number; accountNumber: bigint; pubkey: Uint8Array }[] = [];
  for (const tx of txs) {
    let signers: string[];
    try {
      signers = txSigners(tx, opts.getSigners);
    } catch {
      continue; // the ante handler will report it
    }
    if (signers.length !== tx.signatures.length) continue;
    for (let i = 0; i < signers.length; i++) {
      const info = await lookup(signers[i]);
      const pubkey = tx.signerInfos[i].pubkey ?? info?.pubkey;
      if (info === undefined || pubkey === undefined || tx.signatures[i].length !== 64) continue;
      if (result.has(opts.chainId, tx.hashHex, i, info.accountNumber, pubkey)) continue;
      const msg = directSignBytes({ bodyBytes: tx.bodyBytes, authInfoBytes: tx.authInfoBytes, chainId: opts.chainId, accountNumber: info.accountNumber });
      items.push({ pubkey, msg, sig: tx.signatures[i] });
      keys.push({ tx, index: i, accountNumber: info.accountNumber, pubkey });
    }
  }
  const ok = await opts.verifier.verify(items);
  ok.forEach((good, k) => {
    if (good) result.add(keys[k].tx.hashHex, keys[k].index, keys[k].accountNumber, keys[k].pubkey);
  });
  return result;
}
