/**
 * The verify worker, as CommonJS source text started with `new Worker(src, {eval: true})`.
 * A source string works the same under vitest (which runs .ts and cannot hand a .ts file
 * to a worker) and from `dist/` (tsc copies no .js/.mjs assets), and the worker needs
 * nothing but node:crypto and, when it loads, the libsecp256k1 binding (by the absolute path
 * the main thread resolved: an eval'd worker resolves modules from the working directory).
 * It mirrors `verifySecp256k1` in secp256k1.ts; the pool tests check that the two agree on
 * valid, high-S, wrong-key and off-curve inputs.
 *
 * Wire format, one message per batch (per-message overhead dominates small batches):
 *   request  {id, buf}  buf = u32le count, then per item: pubkey[33] sig[64] u32le len msg[len]
 *   response {id, out, backend}  out = Uint8Array(count) of 0/1; backend = the library that verified
 * Both buffers are transferred, not copied.
 */
import { SECP256K1_HALF_ORDER, SPKI_COMPRESSED_PREFIX, type VerifyItem } from './secp256k1.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

export const VERIFY_WORKER_SOURCE = `'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const crypto = require('node:crypto');
const PREFIX = Buffer.from('${hex(SPKI_COMPRESSED_PREFIX)}', 'hex');
const HALF_ORDER = Buffer.from('${hex(SECP256K1_HALF_ORDER)}', 'hex');
const capacity = workerData.cacheSize;
let native = null;
if (workerData.libsecp256k1Path) { try { native = require(workerData.libsecp256k1Path); } catch {} }
const cache = new Map();
function keyFor(pub) {
  const id = pub.toString('latin1');
  let key = cache.get(id);
  if (key !== undefined) { cache.delete(id); cache.set(id, key); return key; }
  try { key = crypto.createPublicKey({ key: Buffer.concat([PREFIX, pub]), format: 'der', type: 'spki' }); }
  catch { key = null; }
  cache.set(id, key);
  if (cache.size > capacity) cache.delete(cache.keys().next().value);
  return key;
}
parentPort.on('message', ({ id, buf }) => {
  const b = Buffer.from(buf);
  const n = b.readUInt32LE(0);
  const out = new Uint8Array(n);
  let o = 4;
  for (let i = 0; i < n; i++) {
    const pub = b.subarray(o, o + 33); o += 33;
    const sig = b.subarray(o, o + 64); o += 64;
    const len = b.readUInt32LE(o); o += 4;
    const msg = b.subarray(o, o + len); o += len;
    if ((pub[0] !== 2 && pub[0] !== 3) || Buffer.compare(sig.subarray(32), HALF_ORDER) > 0) continue;
    if (native) {
      try { if (native.ecdsaVerify(sig, crypto.hash('sha256', msg, 'buffer'), pub)) out[i] = 1; } catch {}
      continue;
    }
    const key = keyFor(pub);
    if (key === null) continue;
    try { if (crypto.verify('sha256', msg, { key, dsaEncoding: 'ieee-p1363' }, sig)) out[i] = 1; } catch {}
  }
  parentPort.postMessage({ id, out, backend: native ? 'libsecp256k1' : 'node:crypto' }, [out.buffer]);
});
`;

/** Pack items for the worker; every item must already have a 33-byte key and a 64-byte signature. */
export function packBatch(items: readonly VerifyItem[]): ArrayBuffer {
  let size = 4;
  for (const it of items) size += 33 + 64 + 4 + it.msg.length;
  const buf = new ArrayBuffer(size);
  const bytes = new Uint8Array(buf);
  const view = new DataView(buf);
  view.setUint32(0, items.length, true);
  let o = 4;
  for (const it of items) {
    bytes.set(it.pubkey, o);
    bytes.set(it.sig, o + 33);
    view.setUint32(o + 97, it.msg.length, true);
    bytes.set(it.msg, o + 101);
    o += 101 + it.msg.length;
  }
  return buf;
}
