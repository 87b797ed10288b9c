/**
 * The validation hook a node gives Plumtree: decode the envelope (a malformed or
 * oversized one is rejected and costs the sender), drop replays outside the window,
 * then ask the application. Runs before a message is delivered or forwarded.
 */
import type { MessageId } from '../plumtree/message-id.js';
import type { ValidationResult, Validator } from '../plumtree/messages.js';
import type { PeerId } from '../types.js';
import { decodeEnvelope, type Envelope } from './envelope.js';
import { GossipDecodeError } from './errors.js';
import { ENVELOPE_LIMITS, type EnvelopeLimits } from './limits.js';

export interface EnvelopeValidatorInit {
  readonly limits?: EnvelopeLimits;
  /**
   * Envelopes stamped longer ago than this are ignored (not forwarded, no penalty): a
   * replay of an old message after its id has left the de-duplication cache. Keep it
   * below Plumtree's `cache.maxAgeMs` (default 120 s) so that every accepted message is
   * still remembered when a replay comes.
   */
  readonly replayWindowMs?: number;
  /** Envelopes stamped further in the future than this are ignored (clock skew bound). */
  readonly maxClockSkewMs?: number;
  /** Whether envelopes must carry a timestamp (default false: `Tx` may be re-broadcast by anyone). */
  readonly requireTimestamp?: boolean;
  /** The application's verdict on a well-formed envelope (signatures, mempool, consensus checks). */
  readonly accept?: (env: Envelope, from: PeerId, id: MessageId, now: number) => ValidationResult;
}

export function createEnvelopeValidator(init: EnvelopeValidatorInit = {}): Validator {
  const limits = init.limits ?? ENVELOPE_LIMITS;
  const window = BigInt(Math.floor(init.replayWindowMs ?? 60_000));
  const skew = BigInt(Math.floor(init.maxClockSkewMs ?? 10_000));
  return (payload, from, id, now) => {
    let env: Envelope;
    try {
      env = decodeEnvelope(payload, limits);
    } catch (err) {
      if (err instanceof GossipDecodeError) return 'reject';
      throw err;
    }
    const t = env.timestampMs;
    if (t === 0n) {
      if (init.requireTimestamp) return 'reject';
    } else {
      const n = BigInt(Math.floor(now));
      if (n - t > window || t - n > skew) return 'ignore';
    }
    return init.accept ? init.accept(env, from, id, now) : 'accept';
  };
}
