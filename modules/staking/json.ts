/**
 * A small schema codec between protobuf records and the snake_case JSON of genesis
 * files: integers as decimal strings, bytes as base64, enums by name. Parsing is
 * strict (unknown keys, wrong types and non-canonical numbers are refused) and names
 * the JSON path of the first problem, as every module's genesis does.
 */
import { fromBase64, toBase64 } from '@cosmjs/encoding';
import { addressBytes } from '../../app/chain/address.js';
import { GenesisError, expectObject, expectString, rejectUnknownKeys } from '../../app/chain/genesis-error.js';

export type Field =
  | { kind: 'string'; max: number; required?: boolean }
  | { kind: 'address'; optional?: boolean }
  | { kind: 'amount' }
  | { kind: 'u64' }
  | { kind: 'u32'; max?: number }
  | { kind: 'bytes'; length?: number }
  | { kind: 'bool' }
  | { kind: 'enum'; names: Record<number, string> }
  | { kind: 'record'; spec: Spec };

/** [json name, record property, field] */
export type Spec = readonly (readonly [string, string, Field])[];

const UINT = /^(0|[1-9][0-9]*)$/;
const MAX_DIGITS = 120;

function uintString(raw: unknown, path: string): string {
  const s = expectString(raw, path);
  if (!UINT.test(s) || s.length > MAX_DIGITS) throw new GenesisError(path, `expected a non-negative integer as a decimal string, got ${JSON.stringify(s)}`);
  return s;
}

function fieldToJson(f: Field, v: any): unknown {
  switch (f.kind) {
    case 'string':
    case 'address':
    case 'amount':
      return v ?? '';
    case 'u64':
    case 'u32':
      return String(v ?? 0);
    case 'bytes':
      return toBase64(v ?? new Uint8Array());
    case 'bool':
      return !!v;
    case 'enum':
      return f.names[v as number] ?? String(v);
    case 'record':
      return recordToJson(f.spec, v ?? {});
  }
}

function fieldFromJson(f: Field, raw: unknown, path: string): unknown {
  switch (f.kind) {
    case 'string': {
      const s = expectString(raw ?? '', path);
      if (s.length > f.max) throw new GenesisError(path, `at most ${f.max} characters`);
      if (f.required && s.trim() === '') throw new GenesisError(path, 'must not be empty');
      return s;
    }
    case 'address': {
      const s = expectString(raw ?? '', path);
      if (s === '' && f.optional) return s;
      try {
        addressBytes(s);
      } catch (e) {
        throw new GenesisError(path, (e as Error).message);
      }
      return s;
    }
    case 'amount':
      return uintString(raw, path);
    case 'u64':
      return BigInt(uintString(raw, path));
    case 'u32': {
      const n = BigInt(uintString(raw, path));
      const max = BigInt(f.max ?? 0xffffffff);
      if (n > max) throw new GenesisError(path, `must be ≤ ${max}`);
      return Number(n);
    }
    case 'bytes': {
      let b: Uint8Array;
      try {
        b = fromBase64(expectString(raw, path));
      } catch (e) {
        if (e instanceof GenesisError) throw e;
        throw new GenesisError(path, 'not valid base64');
      }
      if (f.length !== undefined && b.length !== f.length) throw new GenesisError(path, `expected ${f.length} bytes, got ${b.length}`);
      return b;
    }
    case 'bool':
      if (typeof raw !== 'boolean') throw new GenesisError(path, 'expected true or false');
      return raw;
    case 'enum': {
      const s = expectString(raw, path);
      const entry = Object.entries(f.names).find(([, name]) => name === s);
      if (!entry) throw new GenesisError(path, `expected one of ${Object.values(f.names).join(', ')}`);
      return Number(entry[0]);
    }
    case 'record':
      return recordFromJson(f.spec, raw, path);
  }
}

export function recordToJson(spec: Spec, obj: any): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [json, prop, f] of spec) out[json] = fieldToJson(f, obj[prop]);
  return out;
}

export function recordFromJson<T>(spec: Spec, raw: unknown, path: string): T {
  const o = expectObject(raw, path);
  rejectUnknownKeys(o, spec.map(([json]) => json), path);
  const out: Record<string, unknown> = {};
  for (const [json, prop, f] of spec) {
    if (!(json in o) && f.kind !== 'string' && !(f.kind === 'address' && f.optional)) throw new GenesisError(`${path}.${json}`, 'is missing');
    out[prop] = fieldFromJson(f, o[json], `${path}.${json}`);
  }
  return out as T;
}
