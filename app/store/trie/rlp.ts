/**
 * The slice of RLP (Ethereum Yellow Paper, appendix B) and hex-prefix encoding (appendix C)
 * that trie nodes need. Hand-rolled because node encoding is the commit hot path and the
 * generic encoder takes nested arrays, while a parent must embed a child's bytes verbatim.
 */

/** RLP of a byte string. */
export function rlpBytes(b: Uint8Array): Uint8Array {
  if (b.length === 1 && b[0] < 0x80) return b;
  const head = header(0x80, b.length);
  const out = new Uint8Array(head.length + b.length);
  out.set(head);
  out.set(b, head.length);
  return out;
}

/** RLP of a list whose items are already RLP-encoded. */
export function rlpList(items: Uint8Array[]): Uint8Array {
  let len = 0;
  for (const it of items) len += it.length;
  const head = header(0xc0, len);
  const out = new Uint8Array(head.length + len);
  out.set(head);
  let o = head.length;
  for (const it of items) {
    out.set(it, o);
    o += it.length;
  }
  return out;
}

function header(base: number, len: number): Uint8Array {
  if (len <= 55) return Uint8Array.of(base + len);
  const bytes: number[] = [];
  for (let l = len; l > 0; l = Math.floor(l / 256)) bytes.unshift(l & 0xff);
  return Uint8Array.of(base + 55 + bytes.length, ...bytes);
}

/** The encoded empty string (an empty branch slot or value). */
export const RLP_EMPTY = Uint8Array.of(0x80);

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
