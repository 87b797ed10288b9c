/**
 * The scalar encodings of CometBFT's JSON (libs/json, amino-compatible): int64/uint64
 * as decimal strings, `HexBytes` as uppercase hex, `[]byte` as standard base64.
 */
import { Buffer } from 'node:buffer';

/** Uppercase hex, as CometBFT's `bytes.HexBytes` marshals (hashes, addresses). */
export function hex(bytes: Uint8Array | undefined): string {
  return bytes === undefined ? '' : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex').toUpperCase();
}

/** Standard padded base64, as Go's encoding/json marshals `[]byte`. */
export function b64(bytes: Uint8Array | undefined): string {
  return bytes === undefined ? '' : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/** Base64, or null for empty bytes: Go marshals a nil `[]byte` as null. */
export function b64OrNull(bytes: Uint8Array | undefined): string | null {
  return bytes === undefined || bytes.length === 0 ? null : b64(bytes);
}

/** int64/uint64 as a decimal string (CometBFT libs/json encodes 64-bit integers as strings). */
export function int64(value: bigint | number): string {
  return typeof value === 'bigint' ? value.toString(10) : Math.trunc(value).toString(10);
}

const HEX_RE = /^(?:[0-9a-fA-F]{2})*$/;
const B64_RE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Strict hex decoding (optional 0x prefix); undefined when `s` is not even-length hex. */
export function parseHex(s: string): Uint8Array | undefined {
  const body = s.startsWith('0x') || s.startsWith('0X') ? s.slice(2) : s;
  if (!HEX_RE.test(body)) return undefined;
  return new Uint8Array(Buffer.from(body, 'hex'));
}

/** Strict standard base64 decoding (padding required, as Go's base64.StdEncoding). */
export function parseBase64(s: string): Uint8Array | undefined {
  if (!B64_RE.test(s)) return undefined;
  return new Uint8Array(Buffer.from(s, 'base64'));
}
