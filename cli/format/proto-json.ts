/**
 * Proto messages as simd prints them: field names in snake_case (protojson `OrigName`), `Any`
 * as `{"@type": typeUrl, ...fields}`, int64 as strings, bytes as base64. Codecs come from
 * cosmjs' default registry (cosmos-sdk messages) plus the public key types.
 */
import { decodeTxRaw, type GeneratedType } from '@cosmjs/proto-signing';
import { defaultRegistryTypes } from '@cosmjs/stargate';
import { PubKey as Secp256k1PubKey } from 'cosmjs-types/cosmos/crypto/secp256k1/keys';
import { PubKey as Ed25519PubKey } from 'cosmjs-types/cosmos/crypto/ed25519/keys';
import { AuthInfo, TxBody } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import type { Any } from 'cosmjs-types/google/protobuf/any';

interface JsonCodec {
  decode(bytes: Uint8Array): unknown;
  toJSON(message: unknown): unknown;
}

const codecs = new Map<string, JsonCodec>([
  ['/cosmos.crypto.secp256k1.PubKey', Secp256k1PubKey as unknown as JsonCodec],
  ['/cosmos.crypto.ed25519.PubKey', Ed25519PubKey as unknown as JsonCodec],
]);
for (const [typeUrl, t] of defaultRegistryTypes as ReadonlyArray<[string, GeneratedType]>) {
  const c = t as unknown as Partial<JsonCodec>;
  if (typeof c.decode === 'function' && typeof c.toJSON === 'function') codecs.set(typeUrl, c as JsonCodec);
}

/** Let other parts of the CLI teach the printer their message types (e.g. `guts.*.v1`). */
export function registerJsonCodec(typeUrl: string, codec: JsonCodec): void {
  codecs.set(typeUrl, codec);
}

export function snakeKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(snakeKeys);
  if (v === null || typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) out[k.startsWith('@') ? k : k.replace(/[A-Z]/g, (c) => '_' + c.toLowerCase())] = snakeKeys(x);
  return out;
}

export function anyToJson(any: Any | undefined): unknown {
  if (!any) return null;
  const codec = codecs.get(any.typeUrl);
  if (!codec) return { '@type': any.typeUrl, value: Buffer.from(any.value).toString('base64') };
  try {
    return { '@type': any.typeUrl, ...(snakeKeys(codec.toJSON(codec.decode(any.value))) as object) };
  } catch {
    return { '@type': any.typeUrl, value: Buffer.from(any.value).toString('base64') };
  }
}

/** A `TxRaw` as simd's `tx` field: `{"@type": "/cosmos.tx.v1beta1.Tx", body, auth_info, signatures}`. */
export function txToJson(txBytes: Uint8Array): unknown {
  let decoded: ReturnType<typeof decodeTxRaw>;
  try {
    decoded = decodeTxRaw(txBytes);
  } catch {
    return null; // not a cosmos Tx: the raw bytes are still in the node's answer
  }
  const body = snakeKeys(TxBody.toJSON(decoded.body)) as Record<string, unknown>;
  body.messages = decoded.body.messages.map(anyToJson);
  body.extension_options = decoded.body.extensionOptions.map(anyToJson);
  body.non_critical_extension_options = decoded.body.nonCriticalExtensionOptions.map(anyToJson);
  const authInfo = snakeKeys(AuthInfo.toJSON(decoded.authInfo)) as { signer_infos: Array<Record<string, unknown>>; tip?: unknown };
  authInfo.signer_infos = decoded.authInfo.signerInfos.map((s, i) => ({ ...authInfo.signer_infos[i], public_key: anyToJson(s.publicKey) }));
  authInfo.tip ??= null;
  return {
    '@type': '/cosmos.tx.v1beta1.Tx',
    body,
    auth_info: authInfo,
    signatures: decoded.signatures.map((s) => Buffer.from(s).toString('base64')),
  };
}
