/**
 * cosmjs-types' BinaryWriter.alloc builds a fresh 8 KiB slab pool on every call, so
 * each small encoded message allocates 8 KiB and keeps it alive through its subarray;
 * profiling `npm run bench:exec` put that at ~10% of main-thread time plus GC. This
 * restores what the pool was meant to be (protobufjs util.pool): one slab shared by
 * successive small messages, exact allocation for large ones. The bytes are the same.
 */
import { BinaryWriter } from 'cosmjs-types/binary';

const SLAB = 8192;
const MAX_POOLED = SLAB >>> 1;
let slab = new Uint8Array(SLAB);
let offset = 0;

BinaryWriter.alloc = (size: number): Uint8Array => {
  if (size < 1 || size > MAX_POOLED) return new Uint8Array(size);
  if (offset + size > SLAB) {
    slab = new Uint8Array(SLAB);
    offset = 0;
  }
  const out = slab.subarray(offset, offset + size);
  offset = (offset + size + 7) & ~7; // 8-byte alignment, as protobufjs does
  return out;
};
