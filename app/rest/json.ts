/**
 * Decoded protobuf messages (ts-proto / cosmjs-types objects) as the proto3 JSON the
 * cosmos-sdk gRPC gateway prints: original (snake_case) field names, defaults included,
 * 64-bit integers as decimal strings, bytes as base64, `Timestamp` as RFC 3339, `Any` as
 * `{"@type": typeUrl, ...fields}` and enums by name.
 *
 * ts-proto objects carry enums as numbers with no schema beside them, so each call names
 * its enum fields (`EnumFields`: field name → `xxxToJSON`). Field names are unique per
 * enum within one module's messages, which is what the tables in routes rely on.
 */
import { rfc3339 } from '../rpc/encoding/time.js';

export type EnumFields = Readonly<Record<string, (value: number) => string>>;

/** Decoders for `Any` payloads by type URL. */
export type AnyDecoders = ReadonlyMap<string, { decode(bytes: Uint8Array): unknown }>;

export interface JsonOptions {
  enums?: EnumFields;
  anys?: AnyDecoders;
}

const snake = (k: string): string => k.replace(/[A-Z]/g, (c) => '_' + c.toLowerCase());

function isTimestamp(v: object): v is { seconds: bigint; nanos: number } {
  const keys = Object.keys(v);
  return keys.length === 2 && typeof (v as { seconds?: unknown }).seconds === 'bigint' && typeof (v as { nanos?: unknown }).nanos === 'number';
}

function isAny(v: object): v is { typeUrl: string; value: Uint8Array } {
  const keys = Object.keys(v);
  return keys.length === 2 && typeof (v as { typeUrl?: unknown }).typeUrl === 'string' && (v as { value?: unknown }).value instanceof Uint8Array;
}

export function toProtoJson(value: unknown, opts: JsonOptions = {}, field?: string): unknown {
  if (value === undefined || value === null) return null;
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') {
    const e = field !== undefined ? opts.enums?.[field] : undefined;
    return e ? e(value) : value;
  }
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (Array.isArray(value)) return value.map((x) => toProtoJson(x, opts, field));
  if (typeof value !== 'object') return null;
  if (isTimestamp(value)) return rfc3339(value);
  if (isAny(value)) return anyJson(value, opts);
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(value)) out[snake(k)] = toProtoJson(x, opts, k);
  return out;
}

function anyJson(any: { typeUrl: string; value: Uint8Array }, opts: JsonOptions): unknown {
  const codec = opts.anys?.get(any.typeUrl);
  if (codec) {
    try {
      const inner = toProtoJson(codec.decode(any.value), opts);
      if (inner !== null && typeof inner === 'object' && !Array.isArray(inner)) return { '@type': any.typeUrl, ...inner };
    } catch {
      // an undecodable payload is shown raw below
    }
  }
  return { '@type': any.typeUrl, value: Buffer.from(any.value).toString('base64') };
}
