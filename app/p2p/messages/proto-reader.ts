/**
 * The gossip codecs' use of the shared bounds-checked reader (app/encoding/proto-cursor.ts):
 * its failures, and anything protobufjs throws, become a `GossipDecodeError` (see `decodeWith`).
 */
import protobuf from 'protobufjs/minimal.js';
import { GossipDecodeError } from './errors.js';
import { finishWriter, ProtoCursor, type CursorErrors } from '../../encoding/proto-cursor.js';

export { WT_LEN, WT_VARINT, ProtoCursor } from '../../encoding/proto-cursor.js';

const GOSSIP_ERRORS: CursorErrors = { fail: (reason, detail) => new GossipDecodeError(reason, detail), oversize: 'invalid_field' };

/** Runs `decode` over `bytes` (after the size check); only `GossipDecodeError` escapes. */
export function decodeWith<T>(bytes: Uint8Array, maxBytes: number, what: string, decode: (c: ProtoCursor) => T): T {
  if (!(bytes instanceof Uint8Array)) throw new GossipDecodeError('malformed', `${what}: expected bytes`);
  if (bytes.length > maxBytes) throw new GossipDecodeError('too_large', `${what} is ${bytes.length} bytes, the limit is ${maxBytes}`);
  try {
    const r = protobuf.Reader.create(bytes);
    return decode(new ProtoCursor(r, bytes.length, GOSSIP_ERRORS));
  } catch (err) {
    if (err instanceof GossipDecodeError) throw err;
    throw new GossipDecodeError('malformed', `${what}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

export function newWriter(): protobuf.Writer {
  return protobuf.Writer.create();
}

/** The writer's bytes as a plain Uint8Array (protobufjs gives a Buffer under Node). */
export function finish(w: protobuf.Writer): Uint8Array {
  return finishWriter(w);
}
