/**
 * A bounds-checked protobuf reader over protobufjs' `Reader`, shared by the decoders of
 * untrusted peer messages (gossip frames and envelopes, blocksync): every length is
 * checked against its limit before bytes are sliced, wire types against the schema,
 * 64-bit varints become bigint without `long`. Failures are raised through the caller's
 * `fail`, so each protocol keeps its own error type with the same stable reasons.
 */
import protobuf from 'protobufjs/minimal.js';

export const WT_VARINT = 0;
export const WT_LEN = 2;

export type DecodeReason = 'too_large' | 'malformed' | 'unknown_type' | 'missing_field' | 'invalid_field';

export interface CursorErrors {
  fail(reason: DecodeReason, detail: string): Error;
  /** Reason given to a length-delimited field above its limit. */
  oversize: DecodeReason;
}

export class ProtoCursor {
  constructor(
    readonly r: protobuf.Reader,
    readonly end: number,
    readonly errors: CursorErrors,
  ) {}

  private fail(reason: DecodeReason, detail: string): Error {
    return this.errors.fail(reason, detail);
  }

  /** Next field as [number, wire type], or undefined at the end of this message. */
  next(): [number, number] | undefined {
    if (this.r.pos >= this.end) return undefined;
    const tag = this.r.uint32();
    const field = tag >>> 3;
    if (field === 0) throw this.fail('malformed', 'field number 0');
    if (this.r.pos > this.end) throw this.fail('malformed', 'tag runs past the end of its message');
    return [field, tag & 7];
  }

  /** Skips an unknown field (proto3 forward compatibility). Groups (wire types 3, 4) are refused: proto3 never writes them. */
  skip(wt: number): void {
    if (wt === 3 || wt === 4) throw this.fail('malformed', `group wire type ${wt}`);
    this.r.skipType(wt);
    if (this.r.pos > this.end) throw this.fail('malformed', 'field runs past the end of its message');
  }

  /** Checks that the last field ended exactly at this message's end. */
  finish(what: string): void {
    if (this.r.pos !== this.end) throw this.fail('malformed', `${what}: last field overruns the message`);
  }

  uint32(wt: number, what: string): number {
    this.expect(wt, WT_VARINT, what);
    return this.r.uint32();
  }

  int32(wt: number, what: string): number {
    this.expect(wt, WT_VARINT, what);
    return this.r.int32();
  }

  bool(wt: number, what: string): boolean {
    this.expect(wt, WT_VARINT, what);
    return this.r.bool();
  }

  /** Signed 64-bit varint as bigint. */
  int64(wt: number, what: string): bigint {
    this.expect(wt, WT_VARINT, what);
    const { buf } = this.r;
    let v = 0n;
    for (let i = 0; i < 10; i++) {
      if (this.r.pos >= this.end) throw this.fail('malformed', `${what}: truncated varint`);
      const b = buf[this.r.pos++]!;
      v |= BigInt(b & 0x7f) << BigInt(7 * i);
      if ((b & 0x80) === 0) return BigInt.asIntN(64, v);
    }
    throw this.fail('malformed', `${what}: varint longer than 10 bytes`);
  }

  bytes(wt: number, max: number, what: string): Uint8Array {
    const len = this.length(wt, max, what);
    const { buf } = this.r; // a plain Uint8Array view even when the input is a Node Buffer
    const out = new Uint8Array(buf.buffer, buf.byteOffset + this.r.pos, len);
    this.r.pos += len;
    return out;
  }

  string(wt: number, max: number, what: string): string {
    const b = this.bytes(wt, max, what);
    return protobuf.util.utf8.read(b, 0, b.length);
  }

  /** A nested message of at most `max` bytes. */
  message(wt: number, max: number, what: string): ProtoCursor {
    const len = this.length(wt, max, what);
    return new ProtoCursor(this.r, this.r.pos + len, this.errors);
  }

  private length(wt: number, max: number, what: string): number {
    this.expect(wt, WT_LEN, what);
    const len = this.r.uint32();
    if (len > max) throw this.fail(this.errors.oversize, `${what} is ${len} bytes, the limit is ${max}`);
    if (this.r.pos + len > this.end) throw this.fail('malformed', `${what}: ${len} bytes declared, ${this.end - this.r.pos} left`);
    return len;
  }

  private expect(wt: number, want: number, what: string): void {
    if (wt !== want) throw this.fail('malformed', `${what}: wire type ${wt}, expected ${want}`);
  }
}

/** The writer's bytes as a plain Uint8Array (protobufjs gives a Buffer under Node). */
export function finishWriter(w: protobuf.Writer): Uint8Array {
  const b = w.finish();
  return new Uint8Array(b.buffer, b.byteOffset, b.length);
}
