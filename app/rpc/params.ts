/**
 * Method parameters from either wire form CometBFT accepts:
 *  - JSON-RPC `params`, by name (object) or position (array). int64 values arrive as
 *    decimal strings (cosmjs) or numbers; `[]byte` values (`tx`, `hash`) as base64;
 *    `HexBytes` values (`abci_query` `data`) as hex.
 *  - URI query strings (`/block?height=5`, `/tx?hash=0xAB..`, `/abci_query?path="/x"`):
 *    `0x…` is hex, `"…"` is a JSON string (raw bytes for byte params), bare words are
 *    taken as they are.
 * Every malformed value is a -32602 with the parameter's name in the detail.
 */
import { RpcError } from './jsonrpc.js';
import { parseBase64, parseHex } from './encoding/primitives.js';

/** `int`: safe integer; `hex`: HexBytes; `base64`: []byte; `hash`: a hash given as base64 or hex. */
export type ParamKind = 'int' | 'bool' | 'string' | 'hex' | 'base64' | 'hash';

export interface ParamSpec {
  readonly name: string;
  readonly kind: ParamKind;
}

type Value = number | boolean | string | Uint8Array;

export class Params {
  constructor(private readonly values: ReadonlyMap<string, Value>) {}

  int(name: string): number | undefined {
    return this.values.get(name) as number | undefined;
  }
  bool(name: string): boolean | undefined {
    return this.values.get(name) as boolean | undefined;
  }
  string(name: string): string | undefined {
    return this.values.get(name) as string | undefined;
  }
  bytes(name: string): Uint8Array | undefined {
    return this.values.get(name) as Uint8Array | undefined;
  }
  /** A required parameter: -32602 when absent. */
  requireBytes(name: string): Uint8Array {
    const v = this.bytes(name);
    if (v === undefined) throw RpcError.invalidParams(`missing required parameter "${name}"`);
    return v;
  }
  requireString(name: string): string {
    const v = this.string(name);
    if (v === undefined) throw RpcError.invalidParams(`missing required parameter "${name}"`);
    return v;
  }
}

/** Parse JSON-RPC `params` (absent, object or array) against a method's parameter list. */
export function paramsFromJson(specs: readonly ParamSpec[], raw: unknown): Params {
  const values = new Map<string, Value>();
  if (raw === undefined || raw === null) return new Params(values);
  if (Array.isArray(raw)) {
    if (raw.length > specs.length) {
      throw RpcError.invalidParams(`expected at most ${specs.length} positional params, got ${raw.length}`);
    }
    raw.forEach((v, i) => setValue(values, specs[i], fromJsonValue(specs[i], v)));
    return new Params(values);
  }
  if (typeof raw !== 'object') throw RpcError.invalidParams('params must be an object or an array');
  const obj = raw as Record<string, unknown>;
  for (const spec of specs) {
    if (Object.prototype.hasOwnProperty.call(obj, spec.name)) setValue(values, spec, fromJsonValue(spec, obj[spec.name]));
  }
  return new Params(values);
}

/** Parse URI query parameters (`GET /method?name=value`). Empty values count as absent. */
export function paramsFromQuery(specs: readonly ParamSpec[], query: URLSearchParams): Params {
  const values = new Map<string, Value>();
  for (const spec of specs) {
    const raw = query.get(spec.name);
    if (raw !== null && raw !== '') setValue(values, spec, fromUriValue(spec, raw));
  }
  return new Params(values);
}

function setValue(values: Map<string, Value>, spec: ParamSpec, v: Value | undefined): void {
  if (v !== undefined) values.set(spec.name, v);
}

function invalid(spec: ParamSpec, expected: string, got: unknown): RpcError {
  let shown: string;
  try {
    shown = JSON.stringify(got) ?? String(got);
  } catch {
    shown = typeof got;
  }
  if (shown.length > 80) shown = shown.slice(0, 77) + '...';
  return RpcError.invalidParams(`invalid ${spec.name}: expected ${expected}, got ${shown}`);
}

const EXPECTED: Record<ParamKind, string> = {
  int: 'an integer (a decimal string like "5" or a number)',
  bool: 'a boolean',
  string: 'a string',
  hex: 'hex-encoded bytes',
  base64: 'base64-encoded bytes',
  hash: 'a hash as base64 or hex',
};

const INT_RE = /^-?[0-9]+$/;

function parseInt64(spec: ParamSpec, v: string | number): number {
  const n = typeof v === 'number' ? v : INT_RE.test(v) ? Number(v) : NaN;
  if (!Number.isSafeInteger(n)) throw invalid(spec, EXPECTED.int, v);
  return n;
}

function fromJsonValue(spec: ParamSpec, v: unknown): Value | undefined {
  if (v === undefined || v === null) return undefined;
  switch (spec.kind) {
    case 'int':
      if (typeof v === 'number' || typeof v === 'string') return parseInt64(spec, v);
      break;
    case 'bool':
      if (typeof v === 'boolean') return v;
      if (v === 'true' || v === 'false') return v === 'true';
      break;
    case 'string':
      if (typeof v === 'string') return v;
      break;
    case 'hex':
      if (typeof v === 'string') return parseHex(v) ?? failWith(spec, v);
      break;
    case 'base64':
      if (typeof v === 'string') return (isHexPrefixed(v) ? parseHex(v) : parseBase64(v)) ?? failWith(spec, v);
      break;
    case 'hash':
      if (typeof v === 'string') return parseHash(v) ?? failWith(spec, v);
      break;
  }
  throw invalid(spec, EXPECTED[spec.kind], v);
}

function fromUriValue(spec: ParamSpec, raw: string): Value | undefined {
  const quoted = raw.length >= 2 && raw.startsWith('"') && raw.endsWith('"');
  const unquoted = quoted ? jsonString(spec, raw) : raw;
  switch (spec.kind) {
    case 'int':
      return parseInt64(spec, unquoted);
    case 'bool':
      if (unquoted === 'true' || unquoted === 'false') return unquoted === 'true';
      throw invalid(spec, EXPECTED.bool, raw);
    case 'string':
      return unquoted;
    case 'hex':
    case 'base64':
      // CometBFT: 0x… is hex; a quoted string stands for its own bytes.
      if (isHexPrefixed(raw)) return parseHex(raw) ?? failWith(spec, raw);
      if (quoted) return new TextEncoder().encode(unquoted);
      return (spec.kind === 'hex' ? parseHex(raw) : parseBase64(raw)) ?? failWith(spec, raw);
    case 'hash':
      return parseHash(unquoted) ?? failWith(spec, raw);
  }
}

function jsonString(spec: ParamSpec, raw: string): string {
  try {
    const v: unknown = JSON.parse(raw);
    if (typeof v === 'string') return v;
  } catch {
    // fall through
  }
  throw invalid(spec, 'a valid JSON string', raw);
}

function isHexPrefixed(s: string): boolean {
  return s.startsWith('0x') || s.startsWith('0X');
}

/**
 * A hash given as `0x`-hex, base64 (cosmjs sends `[]byte` params as base64) or bare
 * hex. A 64-char hex string is also valid base64, so base64 wins only when it yields
 * the 32 bytes of a SHA-256 hash.
 */
function parseHash(s: string): Uint8Array | undefined {
  if (isHexPrefixed(s)) return parseHex(s);
  const fromB64 = parseBase64(s);
  if (fromB64 !== undefined && fromB64.length === 32) return fromB64;
  return parseHex(s) ?? fromB64;
}

function failWith(spec: ParamSpec, v: unknown): never {
  throw invalid(spec, EXPECTED[spec.kind], v);
}
