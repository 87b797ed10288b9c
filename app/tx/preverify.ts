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
  private readonly ok = new Set<string>();

  constructor(readonly chainId: string) {}

  private static id(txHashHex: string, index: number, accountNumber: bigint, pubkey: Uint8Array): string {
    return `${txHashHex}/${index}/${accountNumber}/${Buffer.from(pubkey).toString('hex')}`;
  }

  add(txHashHex: string, index: number, accountNumber: bigint, pubkey: Uint8Array): void {
    this.ok.add(PreverifiedSignatures.id(txHashHex, index, accountNumber, pubkey));
  }

  has(chainId: string, txHashHex: string, index: number, accountNumber: bigint, pubkey: Uint8Array): boolean {
    return chainId === this.chainId && this.ok.has(PreverifiedSignatures.id(txHashHex, index, accountNumber, pubkey));
  }

  get size(): number {
    return this.ok.size;
  }
}

export interface PreverifyOptions {
  chainId: string;
  verifier: SignatureVerifier;
  getSigners: GetSigners;
}

export async function preverifyBlock(txs: readonly DecodedTx[], lookup: AccountLookup, opts: PreverifyOptions): Promise<PreverifiedSignatures> {
  const result = new PreverifiedSignatures(opts.chainId);
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
