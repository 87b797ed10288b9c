/**
 * Signing real transactions the way a wallet does: stock cosmjs (DirectSecp256k1HdWallet,
 * makeAuthInfoBytes, makeSignDoc, TxRaw.encode), no code of ours on the signing side.
 */
import { encodeSecp256k1Pubkey } from '@cosmjs/amino';
import { fromBase64 } from '@cosmjs/encoding';
import {
  DirectSecp256k1HdWallet,
  encodePubkey,
  makeAuthInfoBytes,
  makeCosmoshubPath,
  makeSignDoc,
  Registry,
  type AccountData,
} from '@cosmjs/proto-signing';
import { defaultRegistryTypes } from '@cosmjs/stargate';
import { MsgSend } from 'cosmjs-types/cosmos/bank/v1beta1/tx';
import { SignMode } from 'cosmjs-types/cosmos/tx/signing/v1beta1/signing';
import { TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import type { Any } from 'cosmjs-types/google/protobuf/any';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import type { GetSigners } from '../../app/tx/signers.js';

export const CHAIN_ID = 'guts-test-1';
const MNEMONIC =
  'surround miss nominee dream gap cross assault thank captain prosper drop duty group candy wealth weather scale put';

export const registry = new Registry(defaultRegistryTypes);

export interface Keys {
  wallet: DirectSecp256k1HdWallet;
  accounts: readonly AccountData[];
}

export async function makeKeys(count = 3): Promise<Keys> {
  const hdPaths = Array.from({ length: count }, (_, i) => makeCosmoshubPath(i));
  const wallet = await DirectSecp256k1HdWallet.fromMnemonic(MNEMONIC, { prefix: 'guts', hdPaths });
  return { wallet, accounts: await wallet.getAccounts() };
}

export function msgSend(from: string, to: string, amount = '1'): Any {
  return {
    typeUrl: '/cosmos.bank.v1beta1.MsgSend',
    value: MsgSend.encode(MsgSend.fromPartial({ fromAddress: from, toAddress: to, amount: [{ denom: 'ugut', amount }] })).finish(),
  };
}

/** The app's registry hook, as the bank module would provide it. */
export const getSigners: GetSigners = (msg) => {
  if (msg.typeUrl === '/cosmos.bank.v1beta1.MsgSend') return [MsgSend.decode(msg.value).fromAddress];
  throw new Error(`unknown message ${msg.typeUrl}`);
};

export interface SignerSpec {
  /** Index into keys.accounts of the key that signs. */
  key: number;
  accountNumber: bigint;
  sequence: bigint;
}

export interface TxSpec {
  signers: SignerSpec[];
  msgs: Any[];
  memo?: string;
  fee?: { denom: string; amount: string }[];
  gas?: number;
  chainId?: string;
  timeoutHeight?: bigint;
  signMode?: SignMode;
  feePayer?: string;
  /** Sign with empty signatures, as cosmjs `simulate` does. */
  unsigned?: boolean;
}

export interface SignedTx {
  bytes: Uint8Array;
  bodyBytes: Uint8Array;
  authInfoBytes: Uint8Array;
  signatures: Uint8Array[];
}

export async function signTx(keys: Keys, spec: TxSpec): Promise<SignedTx> {
  const bodyBytes = registry.encode({
    typeUrl: '/cosmos.tx.v1beta1.TxBody',
    value: { messages: spec.msgs.map((m) => ({ typeUrl: m.typeUrl, value: registry.decode(m) })), memo: spec.memo ?? '', timeoutHeight: spec.timeoutHeight ?? 0n },
  });
  const authInfoBytes = makeAuthInfoBytes(
    spec.signers.map((s) => ({ pubkey: encodePubkey(encodeSecp256k1Pubkey(keys.accounts[s.key].pubkey)), sequence: s.sequence })),
    spec.fee ?? [{ denom: 'ugut', amount: '5000' }],
    spec.gas ?? 200_000,
    undefined,
    spec.feePayer,
    spec.signMode ?? SignMode.SIGN_MODE_DIRECT,
  );
  const signatures: Uint8Array[] = [];
  for (const s of spec.signers) {
    if (spec.unsigned) {
      signatures.push(new Uint8Array());
      continue;
    }
    const doc = makeSignDoc(bodyBytes, authInfoBytes, spec.chainId ?? CHAIN_ID, Number(s.accountNumber));
    const { signature } = await keys.wallet.signDirect(keys.accounts[s.key].address, doc);
    signatures.push(fromBase64(signature.signature));
  }
  const bytes = TxRaw.encode(TxRaw.fromPartial({ bodyBytes, authInfoBytes, signatures })).finish();
  return { bytes, bodyBytes, authInfoBytes, signatures };
}

export function encodeTxRaw(parts: { bodyBytes: Uint8Array; authInfoBytes: Uint8Array; signatures: Uint8Array[] }): Uint8Array {
  return TxRaw.encode(TxRaw.fromPartial(parts)).finish();
}

/** The same signature with s replaced by n − s: still valid ECDSA, but high-S (malleated). */
export function highS(sig: Uint8Array): Uint8Array {
  const n = secp256k1.Point.CURVE().n;
  const s = BigInt('0x' + Buffer.from(sig.subarray(32)).toString('hex'));
  const out = new Uint8Array(64);
  out.set(sig.subarray(0, 32));
  out.set(Buffer.from((n - s).toString(16).padStart(64, '0'), 'hex'), 32);
  return out;
}
