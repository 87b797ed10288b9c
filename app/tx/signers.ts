/**
 * Who must sign a tx: the signers of its messages, each once, in order of first
 * appearance, then the explicit fee payer if it is not among them (cosmos-sdk
 * `Tx.GetSigners` in x/auth/tx). The i-th signer signs with the i-th signer_info.
 */
import type { BaseAccount } from 'cosmjs-types/cosmos/auth/v1beta1/auth';
import { PubKey } from 'cosmjs-types/cosmos/crypto/secp256k1/keys';
import type { Any } from 'cosmjs-types/google/protobuf/any';
import { CodedError, ErrInvalidPubKey, ErrUnknownRequest } from '../errors.js';
import type { DecodedTx } from './decode.js';
import { isCompressedPubkey, SECP256K1_PUBKEY_TYPE_URL } from './secp256k1.js';

/**
 * The app's message registry hook: bech32 signers of one message (MsgSend: from_address).
 * It should throw a CodedError (e.g. ErrUnknownRequest) for a type it does not know.
 */
export type GetSigners = (msg: Any) => string[];

export function txSigners(tx: DecodedTx, getSigners: GetSigners): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  const add = (s: string): void => {
    if (!seen.has(s)) {
      seen.add(s);
      out.push(s);
    }
  };
  for (const msg of tx.msgs) {
    let signers: string[];
    try {
      signers = getSigners(msg);
    } catch (e) {
      if (e instanceof CodedError) throw e;
      throw ErrUnknownRequest.wrap(`cannot get the signers of ${msg.typeUrl} (${e instanceof Error ? e.message : String(e)})`);
    }
    for (const s of signers) add(s);
  }
  if (tx.fee.payer !== '') add(tx.fee.payer);
  return out;
}

/** The secp256k1 key stored on an account, if any. ErrInvalidPubKey for any other key type. */
export function accountPubkey(acc: BaseAccount): Uint8Array | undefined {
  if (acc.pubKey === undefined) return undefined;
  if (acc.pubKey.typeUrl !== SECP256K1_PUBKEY_TYPE_URL) {
    throw ErrInvalidPubKey.wrap(`account ${acc.address} has a ${acc.pubKey.typeUrl} key; only ${SECP256K1_PUBKEY_TYPE_URL} is supported`);
  }
  let key: Uint8Array;
  try {
    key = PubKey.decode(acc.pubKey.value).key;
  } catch {
    key = new Uint8Array();
  }
  if (!isCompressedPubkey(key)) throw ErrInvalidPubKey.wrap(`account ${acc.address} has a malformed secp256k1 key`);
  return key;
}

export function pubkeyAny(key: Uint8Array): Any {
  return { typeUrl: SECP256K1_PUBKEY_TYPE_URL, value: PubKey.encode({ key }).finish() };
}
