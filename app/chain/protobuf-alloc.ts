/**
 * cosmjs-types' BinaryWriter.alloc builds a fresh 8 KiB slab pool on every call, so
 * each small encoded message allocates 8 KiB and keeps it alive through its subarray;
 * profiling `npm run bench:exec` put that at ~10% of main-thread time plus GC. This
 * restores what the pool was meant to be (protobufjs util.pool): one slab shared by
 * successive small messages, exact allocation for large ones. The bytes are the same.
 *
 * Each off-heap ArrayBuffer costs V8 about 1–3 µs to create and collect whatever its size
 * (new Uint8Array(65…8192) in a loop on the dev box, against ~30 ns for 64 bytes or less,
 * which V8 keeps on its own heap), so the slab is 64 KiB and messages of ≤64 bytes are
 * allocated exactly. A slice keeps its slab alive: the state store copies the values it
 * keeps (Overlay.write), so slabs are not pinned by cached state.
 */
import { BinaryWriter } from 'cosmjs-types/binary';

const SLAB = 65536;
const MAX_POOLED = 4096;
/** Up to this size V8 keeps a typed array on its own heap: cheaper than a slab slice. */
const ON_HEAP = 64;
let slab = new Uint8Array(SLAB);
let offset = 0;

BinaryWriter.alloc = (size: number): Uint8Array => {
  if (size <= ON_HEAP || size > MAX_POOLED) return new Uint8Array(size);
  if (offset + size > SLAB) {
    slab = new Uint8Array(SLAB);
    offset = 0;
  }
  const out = slab.subarray(offset, offset + size);
  offset = (offset + size + 7) & ~7; // 8-byte alignment, as protobufjs does
  return out;
};
