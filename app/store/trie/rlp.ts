/**
 * The slice of RLP (Ethereum Yellow Paper, appendix B) and hex-prefix encoding (appendix C)
 * that trie nodes need. Hand-rolled because node coding is the commit hot path: encoding
 * writes each node into one buffer sized up front, decoding returns views, not copies.
 */

function lengthBytes(len: number): number {
  return len < 0x100 ? 1 : len < 0x10000 ? 2 : len < 0x1000000 ? 3 : 4;
}

/** Size of the RLP header for a payload of `len` bytes. */
export function headerSize(len: number): number {
  return len <= 55 ? 1 : 1 + lengthBytes(len);
}

/** Write a string (base 0x80) or list (base 0xc0) header at `o`; returns the next offset. */
export function writeHeader(out: Uint8Array, o: number, base: number, len: number): number {
  if (len <= 55) {
    out[o] = base + len;
    return o + 1;
  }
  const n = lengthBytes(len);
  out[o] = base + 55 + n;
  for (let i = n; i >= 1; i--, len >>>= 8) out[o + i] = len & 0xff;
  return o + 1 + n;
}

/** Encoded size of the byte string `b`. */
export function stringSize(b: Uint8Array): number {
  return b.length === 1 && b[0] < 0x80 ? 1 : headerSize(b.length) + b.length;
}

export function writeString(out: Uint8Array, o: number, b: Uint8Array): number {
  if (b.length === 1 && b[0] < 0x80) {
    out[o] = b[0];
    return o + 1;
  }
  o = writeHeader(out, o, 0x80, b.length);
  out.set(b, o);
  return o + b.length;
}

/** One decoded item: a string's bytes (a view into the input) or a list of items. */
export type RlpItem = Uint8Array | RlpItem[];

/** Decode one RLP item that must span all of `buf`. */
export function decodeRlp(buf: Uint8Array): RlpItem {
  const [item, end] = readItem(buf, 0);
  if (end !== buf.length) throw new Error(`RLP: ${buf.length - end} trailing bytes`);
  return item;
}

function readItem(buf: Uint8Array, o: number): [RlpItem, number] {
  const b = buf[o];
  if (b === undefined) throw new Error('RLP: truncated input');
  if (b < 0x80) return [buf.subarray(o, o + 1), o + 1];
  const list = b >= 0xc0;
  const short = list ? b - 0xc0 : b - 0x80;
  let start = o + 1;
  let len = short;
  if (short > 55) {
    const n = short - 55;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[start + i];
    start += n;
  }
  const end = start + len;
  if (end > buf.length) throw new Error('RLP: item runs past the input');
  if (!list) return [buf.subarray(start, end), end];
  const items: RlpItem[] = [];
  for (let p = start; p < end; ) {
    const [it, next] = readItem(buf, p);
    items.push(it);
    p = next;
  }
  return [items, end];
}

/** Hex-prefix (compact) encoding of a nibble path; the flag says leaf or extension. */
export function hexPrefix(nibbles: Uint8Array, leaf: boolean): Uint8Array {
  const odd = nibbles.length & 1;
  const out = new Uint8Array(((nibbles.length + 1) >> 1) + (odd ? 0 : 1));
  const flag = (leaf ? 2 : 0) + odd;
  let i = 0;
  let o = 0;
  if (odd) {
    out[o++] = (flag << 4) | nibbles[i++];
  } else {
    out[o++] = flag << 4;
  }
  for (; i < nibbles.length; i += 2) out[o++] = (nibbles[i] << 4) | nibbles[i + 1];
  return out;
}

export function decodeHexPrefix(b: Uint8Array): { leaf: boolean; nibbles: Uint8Array } {
  const flag = b[0] >> 4;
  const odd = flag & 1;
  const nibbles = new Uint8Array((b.length - 1) * 2 + odd);
  let o = 0;
  if (odd) nibbles[o++] = b[0] & 0x0f;
  for (let i = 1; i < b.length; i++) {
    nibbles[o++] = b[i] >> 4;
    nibbles[o++] = b[i] & 0x0f;
  }
  return { leaf: flag >= 2, nibbles };
}

export function toNibbles(key: Uint8Array): Uint8Array {
  const out = new Uint8Array(key.length * 2);
  for (let i = 0; i < key.length; i++) {
    out[2 * i] = key[i] >> 4;
    out[2 * i + 1] = key[i] & 0x0f;
  }
  return out;
}

/** Bytes of an even-length nibble path (keys are whole bytes, so full paths are even). */
export function fromNibbles(nibbles: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(nibbles.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = (nibbles[2 * i] << 4) | nibbles[2 * i + 1];
  return out;
}
