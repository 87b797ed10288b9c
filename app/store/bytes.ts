/** Byte helpers for the store: map key ids, ordering, bounds, validation at the boundary. */
import { ErrInvalidRequest } from '../errors.js';

/** Lower-case hex of `bytes` (for messages). */
export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

/**
 * `bytes` as a string of one char per byte (latin1): the store's Map keys. Such strings
 * compare exactly like the bytes (char code = byte value), so sorted ids = sorted keys;
 * they are half the length of hex and ~30% cheaper to build and hash (a Map set+get per
 * key: 285 → 205 ns on the dev box), and the store builds one per read and write.
 */
export function keyId(bytes: Uint8Array): string {
  // Keys are mostly short arrays that V8 keeps on its heap: reading `.buffer` would move
  // each one off-heap first (~1 µs), three times the cost of building the string from the
  // bytes directly (fresh 39-byte keys, dev box).
  if (bytes.length <= SHORT_KEY) return String.fromCharCode.apply(null, bytes as unknown as number[]);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}

/** Up to this length keyId builds its string from the bytes (a bounded argument list). */
const SHORT_KEY = 256;

/** The bytes of a `keyId`. */
export function keyIdBytes(id: string): Uint8Array {
  return plain(Buffer.from(id, 'latin1'));
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
