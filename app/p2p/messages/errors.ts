/**
 * The only error the decoders throw. Untrusted bytes that break the format or a limit
 * end here with a stable `reason`; callers branch on `reason`, never on the text.
 */
export type DecodeFailure =
  /** Input longer than the frame or body limit. */
  | 'too_large'
  /** Not valid protobuf (truncated, bad wire type, bad varint). */
  | 'malformed'
  /** A frame with no known message, or an envelope with no known body. */
  | 'unknown_type'
  /** A required field is absent. */
  | 'missing_field'
  /** A field is present but out of range (length, count, enum value). */
  | 'invalid_field';

export class GossipDecodeError extends Error {
  override readonly name = 'GossipDecodeError';

  constructor(
    readonly reason: DecodeFailure,
    readonly detail: string,
  ) {
    super(`gossip decode failed (${reason}): ${detail}`);
  }
}
