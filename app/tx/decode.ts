/**
 * Bytes → checked transaction. A tx is `cosmos.tx.v1beta1.TxRaw`; every layer we
 * interpret (TxRaw, TxBody, AuthInfo, the secp256k1 PubKey) must re-encode to exactly
 * the bytes we were given. That one rule covers what cosmos-sdk checks separately with
 * `unknownproto.RejectUnknownFields` and ADR-027 (`rejectNonADR027TxRaw`): no unknown
 * fields, fields in number order, minimal varints, proto3 defaults omitted, valid UTF-8.
 * It also means the hash, the sign bytes and the bytes we interpret cannot disagree.
 *
 * Message `Any`s stay opaque here; the message router decodes (and re-checks) them.
 */
import { createHash } from 'node:crypto';
import type { Any } from 'cosmjs-types/google/protobuf/any';
import type { Timestamp } from 'cosmjs-types/google/protobuf/timestamp';
import { PubKey } from 'cosmjs-types/cosmos/crypto/secp256k1/keys';
import { SignMode } from 'cosmjs-types/cosmos/tx/signing/v1beta1/signing';
import { AuthInfo, TxBody, TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import {
  CodedError,
  ErrNotSupported,
  ErrTxDecode,
  ErrTxTooLarge,
  ErrUnknownExtensionOptions,
} from '../errors.js';
import { parseFeeCoins, type FeeCoin } from './fees.js';
import { isCompressedPubkey, SECP256K1_PUBKEY_TYPE_URL } from './secp256k1.js';

export interface DecodeLimits {
  /** Largest accepted TxRaw, checked before any parsing (CometBFT mempool `max_tx_bytes`). */
  maxTxBytes: number;
  /**
   * Decoding for simulation (`/cosmos.tx.v1beta1.Service/Simulate`): cosmjs sends signer
   * infos with SIGN_MODE_UNSPECIFIED and empty signatures there, which cosmos-sdk accepts.
   */
  simulate?: boolean;
}

/** CometBFT's default `mempool.max_tx_bytes` (1 MiB). */
export const DEFAULT_DECODE_LIMITS: DecodeLimits = { maxTxBytes: 1_048_576 };

export interface DecodedSignerInfo {
  /** 33-byte compressed secp256k1 key; undefined when omitted (the account's stored key is used). */
  pubkey: Uint8Array | undefined;
  sequence: bigint;
}

export interface DecodedFee {
  gasLimit: bigint;
  /** Positive amounts only, denoms unique, in the order given. */
  amount: FeeCoin[];
  /** Explicit fee payer (bech32) or '' for the first signer. */
  payer: string;
  /** Fee granter or '' (fee grants are not supported; the ante handler rejects them). */
  granter: string;
}

export interface DecodedTx {
  raw: Uint8Array;
  /** sha256(raw): the CometBFT tx hash. */
  hash: Uint8Array;
  /** Upper-case hex of `hash`, as RPC and explorers show it. */
  hashHex: string;
  body: TxBody;
  authInfo: AuthInfo;
  bodyBytes: Uint8Array;
  authInfoBytes: Uint8Array;
  signatures: Uint8Array[];
  msgs: Any[];
  memo: string;
  timeoutHeight: bigint;
  timeoutTimestamp: Timestamp | undefined;
  fee: DecodedFee;
  signerInfos: DecodedSignerInfo[];
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.from(a.buffer, a.byteOffset, a.length).equals(b);
}

/** Decode with `codec` and require the canonical re-encoding to equal the input. */
function strictDecode<T>(
  codec: { decode(b: Uint8Array): T; encode(m: T): { finish(): Uint8Array } },
  bytes: Uint8Array,
  what: string,
): T {
  let msg: T;
  try {
    msg = codec.decode(bytes);
  } catch (e) {
    throw ErrTxDecode.wrap(`${what} is not valid protobuf (${e instanceof Error ? e.message : String(e)})`);
  }
  let again: Uint8Array;
  try {
    again = codec.encode(msg).finish();
  } catch (e) {
    throw ErrTxDecode.wrap(`${what} cannot be re-encoded (${e instanceof Error ? e.message : String(e)})`);
  }
  if (!sameBytes(again, bytes)) {
    throw ErrTxDecode.wrap(
      `${what} is not canonically encoded (unknown fields, fields out of order, non-minimal varints, explicit defaults or invalid UTF-8); re-encode it with a protobuf library`,
    );
  }
  return msg;
}

function decodeSignerInfos(authInfo: AuthInfo, simulate = false): DecodedSignerInfo[] {
  return authInfo.signerInfos.map((si, i) => {
    const mode = si.modeInfo?.single?.mode;
    if (si.modeInfo?.multi !== undefined) throw ErrTxDecode.wrap(`signer ${i}: multisig signers are not supported`);
    if (mode !== SignMode.SIGN_MODE_DIRECT && !(simulate && mode === SignMode.SIGN_MODE_UNSPECIFIED)) {
      throw ErrTxDecode.wrap(`signer ${i}: sign mode ${mode === undefined ? 'missing' : SignMode[mode] ?? mode} is not supported; sign with SIGN_MODE_DIRECT`);
    }
    let pubkey: Uint8Array | undefined;
    if (si.publicKey !== undefined) {
      if (si.publicKey.typeUrl !== SECP256K1_PUBKEY_TYPE_URL) {
        throw ErrTxDecode.wrap(`signer ${i}: public key type ${JSON.stringify(si.publicKey.typeUrl)} is not supported; expected ${SECP256K1_PUBKEY_TYPE_URL}`);
      }
      const pk = strictDecode(PubKey, si.publicKey.value, `signer ${i} public key`);
      if (!isCompressedPubkey(pk.key)) {
        throw ErrTxDecode.wrap(`signer ${i}: secp256k1 public key must be 33 bytes, compressed (02/03 prefix); got ${pk.key.length} bytes`);
      }
      pubkey = pk.key;
    }
    return { pubkey, sequence: si.sequence };
  });
}

function checkedDecode(bytes: Uint8Array, limits: DecodeLimits): DecodedTx {
  if (!(bytes instanceof Uint8Array)) throw ErrTxDecode.wrap('tx must be bytes');
  if (bytes.length > limits.maxTxBytes) throw ErrTxTooLarge.wrap(`tx is ${bytes.length} bytes; the limit is ${limits.maxTxBytes}`);
  if (bytes.length === 0) throw ErrTxDecode.wrap('tx is empty');

  const raw = strictDecode(TxRaw, bytes, 'TxRaw');
  const body = strictDecode(TxBody, raw.bodyBytes, 'TxBody');
  const authInfo = strictDecode(AuthInfo, raw.authInfoBytes, 'AuthInfo');

  if (body.messages.length === 0) throw ErrTxDecode.wrap('tx has no messages; it must contain at least one');
  body.messages.forEach((m, i) => {
    if (!m.typeUrl.startsWith('/') || m.typeUrl.length < 2) throw ErrTxDecode.wrap(`message ${i} has invalid type URL ${JSON.stringify(m.typeUrl)}`);
  });
  // Critical extension options must be understood (cosmos-sdk ExtensionOptionsDecorator); we know none.
  // Non-critical ones may be ignored by definition (tx.proto).
  if (body.extensionOptions.length > 0) {
    throw ErrUnknownExtensionOptions.wrap(`unknown extension option ${JSON.stringify(body.extensionOptions[0].typeUrl)}`);
  }
  if (body.unordered) throw ErrNotSupported.wrap('unordered transactions are not supported; set a sequence instead');
  if (authInfo.tip !== undefined) throw ErrNotSupported.wrap('tips are not supported');

  const signerInfos = decodeSignerInfos(authInfo, limits.simulate);
  if (signerInfos.length !== raw.signatures.length) {
    throw ErrTxDecode.wrap(`tx has ${signerInfos.length} signer infos but ${raw.signatures.length} signatures; they must match one to one`);
  }

  const fee = authInfo.fee;
  const hash = createHash('sha256').update(bytes).digest();
  return {
    raw: bytes,
    hash: new Uint8Array(hash.buffer, hash.byteOffset, hash.length),
    hashHex: hash.toString('hex').toUpperCase(),
    body,
    authInfo,
    bodyBytes: raw.bodyBytes,
    authInfoBytes: raw.authInfoBytes,
    signatures: raw.signatures,
    msgs: body.messages,
    memo: body.memo,
    timeoutHeight: body.timeoutHeight,
    timeoutTimestamp: body.timeoutTimestamp,
    fee: {
      gasLimit: fee?.gasLimit ?? 0n,
      amount: parseFeeCoins(fee?.amount ?? []),
      payer: fee?.payer ?? '',
      granter: fee?.granter ?? '',
    },
    signerInfos,
  };
}

/**
 * Decode and check a TxRaw. Throws only CodedErrors in codespace `sdk`: ErrTxTooLarge
 * (21) over the size limit, ErrUnknownExtensionOptions (31), ErrNotSupported (37) for
 * unordered txs and tips, ErrInvalidCoins (10) for a malformed fee, ErrTxDecode (2)
 * for everything else.
 */
export function decodeTx(bytes: Uint8Array, limits: DecodeLimits = DEFAULT_DECODE_LIMITS): DecodedTx {
  try {
    return checkedDecode(bytes, limits);
  } catch (e) {
    if (e instanceof CodedError) throw e;
    // Defensive: a codec bug or stack overflow on hostile nesting must still be a decode error.
    throw ErrTxDecode.wrap(`malformed tx (${e instanceof Error ? e.message : String(e)})`);
  }
}
