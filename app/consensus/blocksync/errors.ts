/**
 * Blocksync errors, registered once in codespace `blocksync` (never renumber). A bad
 * message from a peer is a `BlockSyncDecodeError` carrying a stable `reason`; callers
 * branch on the registered error or the reason, never on the text.
 */
import { CodedError, registerError } from '../../errors.js';

export const ErrBlockSyncMessage = registerError('blocksync', 2, 'invalid blocksync message');
export const ErrBlockSyncConfig = registerError('blocksync', 3, 'invalid blocksync configuration');

export type BlockSyncDecodeReason =
  /** the message is larger than its limit */
  | 'too_large'
  /** not valid protobuf: truncated, wrong wire type, bad varint, trailing bytes */
  | 'malformed'
  /** no known message in the envelope */
  | 'unknown_type'
  /** a required field is absent */
  | 'missing_field'
  /** a field is out of range (height, count, size, number of blocks) */
  | 'invalid_field';

export class BlockSyncDecodeError extends CodedError {
  constructor(
    readonly reason: BlockSyncDecodeReason,
    detail: string,
  ) {
    super(ErrBlockSyncMessage, `${reason}: ${detail}`);
  }
}
