/**
 * Blocksync wire messages, hand-written protobuf (protobufjs Reader/Writer) with size
 * limits checked before any bytes are copied. Like CometBFT's blocksync protocol
 * (proto/tendermint/blocksync/types.proto) but requests ask for a range, and a block
 * travels with its own commit (the responder's stored commit for that height), so each
 * block is verified on arrival instead of waiting for the next one's last_commit.
 *
 *   message Message {
 *     oneof sum {
 *       StatusRequest status_request = 1;      // {}
 *       StatusResponse status_response = 2;    // {int64 height = 1; int64 base = 2;}
 *       BlockRequest block_request = 3;        // {int64 from_height = 1; uint32 count = 2;}
 *       BlockResponse block_response = 4;      // {repeated SyncedBlock blocks = 1;}
 *       NoBlockResponse no_block_response = 5; // {int64 height = 1;}
 *     }
 *   }
 *   message SyncedBlock { bytes block = 1; bytes commit = 2; } // tendermint.types.Block, tendermint.types.Commit
 *
 * A responder answers a range with one or more BlockResponses carrying consecutive
 * heights from `from_height`, and a NoBlockResponse for the first height it lacks.
 */
import protobuf from 'protobufjs/minimal.js';
import { Commit } from 'cosmjs-types/tendermint/types/types';
import { finishWriter, ProtoCursor, type CursorErrors } from '../../encoding/proto-cursor.js';
import { BlockSyncDecodeError } from './errors.js';

export interface BlockSyncLimits {
  /** Largest block, proto bytes (CometBFT's default block.max_bytes, 21 MiB). */
  maxBlockBytes: number;
  /** Largest commit, proto bytes (10 000 signatures of ~110 bytes). */
  maxCommitBytes: number;
  /** Most blocks one request may ask for and one response may carry. */
  maxBlocksPerRequest: number;
  /** Largest message of any kind. */
  maxMessageBytes: number;
}

export const DEFAULT_LIMITS: BlockSyncLimits = Object.freeze({
  maxBlockBytes: 22_020_096,
  maxCommitBytes: 1_200_000,
  maxBlocksPerRequest: 20,
  maxMessageBytes: 48 * 1024 * 1024,
});

/** Commits with more signatures are refused: CometBFT's MaxVotesCount. */
const MAX_COMMIT_SIGNATURES = 10_000;
const MAX_HEIGHT = (1n << 63n) - 1n;

export interface SyncedBlock {
  /** Proto bytes of a tendermint.types.Block (decoded and checked by the BlockSync). */
  block: Uint8Array;
  commit: Commit;
}

export type BlockSyncMessage =
  | { type: 'statusRequest' }
  | { type: 'statusResponse'; height: bigint; base: bigint }
  | { type: 'blockRequest'; fromHeight: bigint; count: number }
  | { type: 'blockResponse'; blocks: SyncedBlock[] }
  | { type: 'noBlockResponse'; height: bigint };

// ---- encoding ----


export function encodeBlockSyncMessage(m: BlockSyncMessage): Uint8Array {
  const w = protobuf.Writer.create();
  switch (m.type) {
    case 'statusRequest':
      w.uint32((1 << 3) | 2).fork().ldelim();
      break;
    case 'statusResponse':
      w.uint32((2 << 3) | 2).fork();
      if (m.height) w.uint32(8).int64(m.height.toString());
      if (m.base) w.uint32(16).int64(m.base.toString());
      w.ldelim();
      break;
    case 'blockRequest':
      w.uint32((3 << 3) | 2).fork();
      if (m.fromHeight) w.uint32(8).int64(m.fromHeight.toString());
      if (m.count) w.uint32(16).uint32(m.count);
      w.ldelim();
      break;
    case 'blockResponse':
      w.uint32((4 << 3) | 2).fork();
      for (const b of m.blocks) {
        w.uint32(10).fork();
        w.uint32(10).bytes(b.block);
        w.uint32(18).bytes(Commit.encode(b.commit).finish());
        w.ldelim();
      }
      w.ldelim();
      break;
    case 'noBlockResponse':
      w.uint32((5 << 3) | 2).fork();
      if (m.height) w.uint32(8).int64(m.height.toString());
      w.ldelim();
      break;
  }
  return finishWriter(w);
}

// ---- decoding ----

const ERRORS: CursorErrors = { fail: (reason, detail) => new BlockSyncDecodeError(reason, detail), oversize: 'too_large' };

type Cursor = ProtoCursor;

function height(v: bigint, what: string, min: bigint): bigint {
  if (v < min || v > MAX_HEIGHT) throw new BlockSyncDecodeError('invalid_field', `${what} ${v} is out of range`);
  return v;
}

function decodeCommit(bytes: Uint8Array): Commit {
  let c: Commit;
  try {
    c = Commit.decode(bytes);
  } catch (err) {
    throw new BlockSyncDecodeError('malformed', `commit: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (c.height < 1n || c.height > MAX_HEIGHT) throw new BlockSyncDecodeError('invalid_field', `commit height ${c.height} is out of range`);
  if (c.round < 0) throw new BlockSyncDecodeError('invalid_field', `commit round ${c.round} is negative`);
  if (c.signatures.length === 0 || c.signatures.length > MAX_COMMIT_SIGNATURES) throw new BlockSyncDecodeError('invalid_field', `commit has ${c.signatures.length} signatures, expected 1-${MAX_COMMIT_SIGNATURES}`);
  return c;
}

function decodeBody(c: Cursor, field: number, limits: BlockSyncLimits): BlockSyncMessage {
  switch (field) {
    case 1: {
      for (let f = c.next(); f; f = c.next()) c.skip(f[1]);
      return { type: 'statusRequest' };
    }
    case 2: {
      let h = 0n;
      let base = 0n;
      for (let f = c.next(); f; f = c.next()) {
        if (f[0] === 1) h = height(c.int64(f[1], 'status height'), 'status height', 0n);
        else if (f[0] === 2) base = height(c.int64(f[1], 'status base'), 'status base', 0n);
        else c.skip(f[1]);
      }
      if (base > h) throw new BlockSyncDecodeError('invalid_field', `status base ${base} is above its height ${h}`);
      return { type: 'statusResponse', height: h, base };
    }
    case 3: {
      let from = 0n;
      let count = 0;
      for (let f = c.next(); f; f = c.next()) {
        if (f[0] === 1) from = height(c.int64(f[1], 'request from_height'), 'request from_height', 1n);
        else if (f[0] === 2) {
          const n = c.int64(f[1], 'request count');
          if (n < 1n || n > BigInt(limits.maxBlocksPerRequest)) throw new BlockSyncDecodeError('invalid_field', `request count ${n}, expected 1-${limits.maxBlocksPerRequest}`);
          count = Number(n);
        } else c.skip(f[1]);
      }
      if (from === 0n) throw new BlockSyncDecodeError('missing_field', 'request from_height');
      if (count === 0) throw new BlockSyncDecodeError('missing_field', 'request count');
      if (from + BigInt(count) - 1n > MAX_HEIGHT) throw new BlockSyncDecodeError('invalid_field', 'request range runs past the maximum height');
      return { type: 'blockRequest', fromHeight: from, count };
    }
    case 4: {
      const blocks: SyncedBlock[] = [];
      for (let f = c.next(); f; f = c.next()) {
        if (f[0] !== 1) {
          c.skip(f[1]);
          continue;
        }
        if (blocks.length >= limits.maxBlocksPerRequest) throw new BlockSyncDecodeError('invalid_field', `response carries more than ${limits.maxBlocksPerRequest} blocks`);
        const sb = c.message(f[1], limits.maxBlockBytes + limits.maxCommitBytes + 16, 'synced block');
        let block: Uint8Array | undefined;
        let commit: Commit | undefined;
        for (let g = sb.next(); g; g = sb.next()) {
          if (g[0] === 1) block = sb.bytes(g[1], limits.maxBlockBytes, 'block');
          else if (g[0] === 2) commit = decodeCommit(sb.bytes(g[1], limits.maxCommitBytes, 'commit'));
          else sb.skip(g[1]);
        }
        sb.finish('synced block');
        if (!block || block.length === 0) throw new BlockSyncDecodeError('missing_field', 'synced block: block');
        if (!commit) throw new BlockSyncDecodeError('missing_field', 'synced block: commit');
        blocks.push({ block, commit });
      }
      if (blocks.length === 0) throw new BlockSyncDecodeError('missing_field', 'response carries no blocks');
      return { type: 'blockResponse', blocks };
    }
    case 5: {
      let h = 0n;
      for (let f = c.next(); f; f = c.next()) {
        if (f[0] === 1) h = height(c.int64(f[1], 'no-block height'), 'no-block height', 1n);
        else c.skip(f[1]);
      }
      if (h === 0n) throw new BlockSyncDecodeError('missing_field', 'no-block height');
      return { type: 'noBlockResponse', height: h };
    }
    default:
      throw new BlockSyncDecodeError('unknown_type', `message field ${field}`);
  }
}

/** Decode one message; anything wrong throws BlockSyncDecodeError (report the sender). */
export function decodeBlockSyncMessage(bytes: Uint8Array, limits: BlockSyncLimits = DEFAULT_LIMITS): BlockSyncMessage {
  if (!(bytes instanceof Uint8Array)) throw new BlockSyncDecodeError('malformed', 'expected bytes');
  if (bytes.length > limits.maxMessageBytes) throw new BlockSyncDecodeError('too_large', `message is ${bytes.length} bytes, the limit is ${limits.maxMessageBytes}`);
  try {
    const top = new ProtoCursor(protobuf.Reader.create(bytes), bytes.length, ERRORS);
    let out: BlockSyncMessage | undefined;
    for (let f = top.next(); f; f = top.next()) {
      const [field, wt] = f;
      if (field < 1 || field > 5) {
        top.skip(wt);
        continue;
      }
      if (out) throw new BlockSyncDecodeError('malformed', 'more than one message in the envelope');
      const body = top.message(wt, limits.maxMessageBytes, 'message body');
      out = decodeBody(body, field, limits);
      body.finish('message body');
    }
    if (!out) throw new BlockSyncDecodeError('unknown_type', 'no known message in the envelope');
    return out;
  } catch (err) {
    if (err instanceof BlockSyncDecodeError) throw err;
    throw new BlockSyncDecodeError('malformed', err instanceof Error ? err.message : String(err));
  }
}
