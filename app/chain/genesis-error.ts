/** A genesis file problem, naming the JSON path so the operator can fix the file. */
export class GenesisError extends Error {
  override readonly name = 'GenesisError';
  constructor(
    readonly path: string,
    readonly problem: string,
  ) {
    super(`invalid genesis: ${path}: ${problem}`);
  }
}

export function expectObject(raw: unknown, path: string): Record<string, unknown> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new GenesisError(path, 'expected an object');
  return raw as Record<string, unknown>;
}

export function expectArray(raw: unknown, path: string): unknown[] {
  if (!Array.isArray(raw)) throw new GenesisError(path, 'expected an array');
  return raw;
}

export function expectString(raw: unknown, path: string): string {
  if (typeof raw !== 'string') throw new GenesisError(path, `expected a string, got ${JSON.stringify(raw)}`);
  return raw;
}

/** Integers in genesis are decimal strings (as in CometBFT/cosmos-sdk genesis files). */
export function expectUint(raw: unknown, path: string, opts: { min?: bigint; max?: bigint } = {}): bigint {
  if (typeof raw !== 'string' || !/^(0|[1-9][0-9]*)$/.test(raw)) {
    throw new GenesisError(path, `expected a non-negative integer as a decimal string, got ${JSON.stringify(raw)}`);
  }
  const n = BigInt(raw);
  if (opts.min !== undefined && n < opts.min) throw new GenesisError(path, `must be ≥ ${opts.min}, got ${raw}`);
  if (opts.max !== undefined && n > opts.max) throw new GenesisError(path, `must be ≤ ${opts.max}, got ${raw}`);
  return n;
}

export function rejectUnknownKeys(obj: Record<string, unknown>, allowed: string[], path: string): void {
  for (const k of Object.keys(obj)) {
    if (!allowed.includes(k)) throw new GenesisError(`${path}.${k}`, `unknown field (allowed: ${allowed.join(', ')})`);
  }
}
