/**
 * Randomness for the sans-IO cores. The cores never call `Math.random` or
 * `crypto.getRandomValues` themselves: the libp2p adapter passes `cryptoRng()`, the
 * simulator and tests pass `seededRng(seed)` so that a run is reproducible.
 */

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n); n ≥ 1. */
  int(n: number): number;
  /** A 32-bit unsigned integer (nonces). */
  u32(): number;
}

function fromU32(u32: () => number): Rng {
  return {
    u32,
    next: () => u32() / 0x1_0000_0000,
    int: (n) => Math.floor((u32() / 0x1_0000_0000) * n),
  };
}

/**
 * sfc32 (Chris Doty-Humphrey's Small Fast Counter, PractRand-clean at 2^40 bytes),
 * seeded through splitmix32 so that nearby seeds give unrelated streams.
 */
export function seededRng(seed: number | string): Rng {
  let s = typeof seed === 'number' ? seed >>> 0 : hashString(seed);
  const splitmix = (): number => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = splitmix();
  let b = splitmix();
  let c = splitmix();
  let d = splitmix();
  const u32 = (): number => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    return t;
  };
  for (let i = 0; i < 12; i++) u32();
  return fromU32(u32);
}

/** Cryptographic randomness (WebCrypto, also in browsers), buffered 256 words at a time. */
export function cryptoRng(): Rng {
  const buf = new Uint32Array(256);
  let i = buf.length;
  return fromU32(() => {
    if (i === buf.length) {
      globalThis.crypto.getRandomValues(buf);
      i = 0;
    }
    return buf[i++];
  });
}

/** FNV-1a, only to turn a seed string into a 32-bit number. */
function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** A uniformly chosen element, or undefined for an empty list. */
export function pickOne<T>(rng: Rng, items: readonly T[]): T | undefined {
  return items.length === 0 ? undefined : items[rng.int(items.length)];
}

/** Up to `k` distinct elements in random order (partial Fisher–Yates on a copy). */
export function sample<T>(rng: Rng, items: readonly T[], k: number): T[] {
  const a = items.slice();
  const n = Math.min(k, a.length);
  for (let i = 0; i < n; i++) {
    const j = i + rng.int(a.length - i);
    const t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
  a.length = n;
  return a;
}
