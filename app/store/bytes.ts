/** Byte helpers for the store: hex map keys, ordering, bounds, validation at the boundary. */
import { ErrInvalidRequest } from '../errors.js';

/**
 * Lower-case hex of `bytes`. Used as Map keys: hex strings sort exactly like the bytes
 * they encode (two chars per byte, '0'-'9' < 'a'-'f'), so sorted hex = sorted keys.
 */
export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

/** A plain Uint8Array view (LevelDB hands out Buffers; callers compare with Uint8Array). */
export function plain(bytes: Uint8Array): Uint8Array {
  return bytes.constructor === Uint8Array ? bytes : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    if (a[i] !== b[i]) return a[i] - b[i];
  }
  return a.length - b.length;
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function concatBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

export function startsWith(key: Uint8Array, prefix: Uint8Array): boolean {
  if (key.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (key[i] !== prefix[i]) return false;
  return true;
}

/** The smallest key greater than every key starting with `prefix`; undefined if none (empty or all 0xff). */
export function prefixEnd(prefix: Uint8Array): Uint8Array | undefined {
  for (let i = prefix.length - 1; i >= 0; i--) {
    if (prefix[i] !== 0xff) {
      const end = prefix.slice(0, i + 1);
      end[i]++;
      return end;
    }
  }
  return undefined;
}

/** 8-byte big-endian height, so LevelDB orders heights numerically. */
export function encodeHeight(height: number): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, BigInt(height));
  return out;
}

export function decodeHeight(bytes: Uint8Array, offset = 0): number {
  return Number(new DataView(bytes.buffer, bytes.byteOffset + offset, 8).getBigUint64(0));
}

/** Keys are non-empty byte strings. */
export function assertKey(key: Uint8Array): void {
  if (!(key instanceof Uint8Array) || key.length === 0) throw ErrInvalidRequest.wrap('store key must be a non-empty Uint8Array');
}

/**
 * Values are non-empty byte strings: the Merkle Patricia trie treats an empty value as a
 * delete, so an empty value could not be proven. Store a marker byte instead of `[]`.
 */
export function assertValue(value: Uint8Array): void {
  if (!(value instanceof Uint8Array)) throw ErrInvalidRequest.wrap('store value must be a Uint8Array');
  if (value.length === 0) throw ErrInvalidRequest.wrap('store value must not be empty (the trie reads an empty value as a delete); store a marker byte such as 0x01');
}
