/** State keys are `<module>/<record>/<id>` bytes (DESIGN §3). */
const utf8 = new TextEncoder();

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** `key('bank', 'balances', addr, '/', denom)`: strings are UTF-8, bytes are appended raw. */
export function stateKey(module: string, record: string, ...id: (Uint8Array | string)[]): Uint8Array {
  return concatBytes(utf8.encode(`${module}/${record}/`), ...id.map((p) => (typeof p === 'string' ? utf8.encode(p) : p)));
}

export function uint64BE(n: bigint): Uint8Array {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, n);
  return b;
}

export function readUint64BE(b: Uint8Array): bigint {
  if (b.length !== 8) throw new Error(`expected 8 bytes, got ${b.length}`);
  return new DataView(b.buffer, b.byteOffset, 8).getBigUint64(0);
}
