import { secp256k1 } from '@noble/curves/secp256k1.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { afterAll, describe, expect, it } from 'vitest';
import { verifySecp256k1, type VerifyItem } from '../../app/tx/secp256k1.js';
import { createVerifyPool } from '../../app/tx/verify-pool.js';
import { highS } from './helpers.js';

const secrets = Array.from({ length: 5 }, () => secp256k1.utils.randomSecretKey());

/** Valid signatures mixed with every kind of bad one. */
function items(n: number): { items: VerifyItem[]; expected: boolean[] } {
  const out: VerifyItem[] = [];
  for (let i = 0; i < n; i++) {
    const sk = secrets[i % secrets.length];
    const pubkey = secp256k1.getPublicKey(sk, true);
    const msg = Uint8Array.from(Buffer.from(`sign bytes ${i} `.repeat(1 + (i % 7))));
    const sig = secp256k1.sign(sha256(msg), sk, { prehash: false });
    switch (i % 6) {
      case 0:
      case 1:
        out.push({ pubkey, msg, sig });
        break;
      case 2:
        out.push({ pubkey, msg, sig: highS(sig) });
        break;
      case 3:
        out.push({ pubkey: secp256k1.getPublicKey(secrets[(i + 1) % secrets.length], true), msg, sig });
        break;
      case 4:
        out.push({ pubkey: Uint8Array.from([0x03, ...new Uint8Array(32).fill(0xff)]), msg, sig });
        break;
      default:
        out.push({ pubkey, msg, sig: sig.subarray(0, 63) });
    }
  }
  return { items: out, expected: out.map((_, i) => i % 6 < 2) };
}

const pool = createVerifyPool({ threads: 2 });
afterAll(() => pool.close());

describe('verify pool', () => {
  it('agrees with in-thread verification on valid, high-S, wrong-key, off-curve and short signatures', async () => {
    const { items: batch, expected } = items(240);
    expect(batch.map((it) => verifySecp256k1(it.pubkey, it.msg, it.sig))).toEqual(expected);
    const before = pool.stats();
    expect(await pool.verify(batch)).toEqual(expected);
    expect(pool.stats().onWorkers - before.onWorkers).toBe(200); // the 40 short signatures never leave the thread
    // both workers answered, each with libsecp256k1 (loaded by the path the main thread resolved)
    expect(pool.stats().workerBackends).toEqual(['libsecp256k1', 'libsecp256k1']);
  });

  it('answers tiny batches in-thread and empty ones at once', async () => {
    const { items: batch, expected } = items(3);
    const before = pool.stats();
    expect(await pool.verify(batch)).toEqual(expected);
    expect(pool.stats().onWorkers).toBe(before.onWorkers);
    expect(await pool.verify([])).toEqual([]);
  });

  it('coalesces concurrent calls and returns each caller its own results', async () => {
    const { items: batch, expected } = items(60);
    const calls = Array.from({ length: 20 }, (_, k) => pool.verify(batch.slice(k * 3, k * 3 + 3)));
    const results = await Promise.all(calls);
    expect(results.flat()).toEqual(expected);
  });

  it('still verifies after close, in-thread', async () => {
    const p = createVerifyPool({ threads: 1 });
    const { items: batch, expected } = items(24);
    const inflight = p.verify(batch);
    await p.close();
    expect(await inflight).toEqual(expected);
    expect(await p.verify(batch)).toEqual(expected);
  });

  it('verifies in-thread with zero threads', async () => {
    const p = createVerifyPool({ threads: 0 });
    const { items: batch, expected } = items(30);
    expect(await p.verify(batch)).toEqual(expected);
    await p.close();
  });
});
