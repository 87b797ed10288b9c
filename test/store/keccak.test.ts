import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFile } from 'node:fs/promises';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { keccak256 } from '../../app/store/trie/keccak.js';
import { generateKeccakF } from './fixtures/keccak-gen.js';
import { hex } from './helpers.js';

describe('keccak256', () => {
  it('equals @noble/hashes keccak_256 at every length around the 136-byte rate', () => {
    for (let n = 0; n <= 3 * 136 + 1; n++) {
      const msg = Uint8Array.from({ length: n }, (_, i) => (i * 31 + n) & 0xff);
      expect(hex(keccak256(msg))).toBe(hex(keccak_256(msg)));
    }
  });

  it('equals @noble/hashes keccak_256 on random input', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 700 }), (msg) => hex(keccak256(msg)) === hex(keccak_256(msg))));
  });

  it('hashes the empty string to the known Ethereum value', () => {
    expect(hex(keccak256(new Uint8Array()))).toBe('c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470');
  });

  it('is the generated permutation (regenerate from fixtures/keccak-gen.ts after changing the recipe)', async () => {
    const src = await readFile(new URL('../../app/store/trie/keccak.ts', import.meta.url), 'utf8');
    expect(src.endsWith(generateKeccakF())).toBe(true);
  });
});
