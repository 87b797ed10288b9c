/** Byte-key helpers for the block store and indexers: fixed-width big-endian numbers sort like the numbers. */

const enc = new TextEncoder();
const dec = new TextDecoder();

export const utf8 = (s: string): Uint8Array => enc.encode(s);
export const fromUtf8 = (b: Uint8Array): string => dec.decode(b);

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

/*
 * The writers below set bytes one by one: their arrays are small and fresh, and a DataView
 * would first move each one off V8's heap (reading `.buffer`), ~1 µs apiece.
 */

/** Big-endian u32 `n` at `out[at..at+4)`. */
export function putBe32(out: Uint8Array, at: number, n: number): void {
  out[at] = n >>> 24;
  out[at + 1] = (n >>> 16) & 0xff;
  out[at + 2] = (n >>> 8) & 0xff;
  out[at + 3] = n & 0xff;
}

export function be64(n: number | bigint): Uint8Array {
  const v = BigInt.asUintN(64, BigInt(n)); // wraps like DataView.setBigUint64
  const out = new Uint8Array(8);
  putBe32(out, 0, Number(v >> 32n));
  putBe32(out, 4, Number(v & 0xffffffffn));
  return out;
}

export function be32(n: number): Uint8Array {
  const out = new Uint8Array(4);
  putBe32(out, 0, n >>> 0); // wraps like DataView.setUint32
  return out;
}

export function readBe64(b: Uint8Array, off = 0): number {
  return Number(new DataView(b.buffer, b.byteOffset, b.byteLength).getBigUint64(off));
}

export function readBe32(b: Uint8Array, off = 0): number {
  return new DataView(b.buffer, b.byteOffset, b.byteLength).getUint32(off);
}

/** The smallest key greater than every key starting with `prefix` (undefined if none: all 0xff). */
export function prefixEnd(prefix: Uint8Array): Uint8Array | undefined {
  const end = prefix.slice();
  for (let i = end.length - 1; i >= 0; i--) {
    if (end[i] !== 0xff) {
      end[i]++;
      return end.subarray(0, i + 1);
    }
  }
  return undefined;
}

export function prefixRange(prefix: Uint8Array): { gte: Uint8Array; lt?: Uint8Array } {
  const lt = prefixEnd(prefix);
  return lt ? { gte: prefix, lt } : { gte: prefix };
}

export function toHexUpper(b: Uint8Array): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('').toUpperCase();
}
