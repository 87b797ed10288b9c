/**
 * SIGN_MODE_DIRECT sign bytes: the protobuf encoding of
 * `cosmos.tx.v1beta1.SignDoc{body_bytes, auth_info_bytes, chain_id, account_number}`
 * (ADR-020), byte-for-byte what cosmjs `makeSignBytes` produces, so wallets and the
 * chain hash the same thing.
 */
import { SignDoc } from 'cosmjs-types/cosmos/tx/v1beta1/tx';

export interface SignDocInput {
  bodyBytes: Uint8Array;
  authInfoBytes: Uint8Array;
  chainId: string;
  accountNumber: bigint;
}

export function directSignBytes(doc: SignDocInput): Uint8Array {
  return SignDoc.encode(
    SignDoc.fromPartial({
      bodyBytes: doc.bodyBytes,
      authInfoBytes: doc.authInfoBytes,
      chainId: doc.chainId,
      accountNumber: doc.accountNumber,
    }),
  ).finish();
}
