/**
 * WAL payloads: an engine event as JSON with two tagged forms, {"$n": "<decimal>"} for
 * bigint and {"$b": "<base64>"} for bytes, so every event (votes, proposals, blocks,
 * validator sets, commits) round-trips exactly. Node-only (Buffer).
 */
import type { EngineEvent } from './types.js';

export function encodeEvent(e: EngineEvent): Uint8Array {
  const json = JSON.stringify(e, (_k, v: unknown) => {
    if (typeof v === 'bigint') return { $n: v.toString() };
    if (v instanceof Uint8Array) return { $b: Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64') };
    return v;
  });
  return new TextEncoder().encode(json);
}

export function decodeEvent(bytes: Uint8Array): EngineEvent {
  return JSON.parse(new TextDecoder().decode(bytes), (_k, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const o = v as Record<string, unknown>;
      const keys = Object.keys(o);
      if (keys.length === 1 && typeof o.$n === 'string') return BigInt(o.$n);
      if (keys.length === 1 && typeof o.$b === 'string') return new Uint8Array(Buffer.from(o.$b, 'base64'));
    }
    return v;
  }) as EngineEvent;
}
