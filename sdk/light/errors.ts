/**
 * Light-client errors: one class with a stable `name` and a `code` callers match on
 * (never the message text), viem-style `shortMessage` / `details` / `docsPath`.
 * Browser-safe. A conflicting header at a trusted checkpoint is its own class, since
 * it is evidence of an attack, not a bad answer from one node.
 */

export type LightClientErrorCode =
  /** the header or light block is malformed (ValidateBasic) */
  | 'invalid-header'
  /** the header is from another chain */
  | 'wrong-chain'
  /** the new header is not higher / later than the trusted one */
  | 'not-monotonic'
  /** the new header's time is beyond now + max clock drift */
  | 'header-from-future'
  /** the trusted header is older than the trusting period: re-initialise from a fresh checkpoint */
  | 'trusted-header-expired'
  /** the supplied validator set does not hash to the header's validators_hash (or to the trusted next_validators_hash) */
  | 'validators-mismatch'
  /** the commit is invalid for this header and validator set */
  | 'invalid-commit'
  /** less than the trust level of the trusted set signed: bisection needs a header in between */
  | 'not-enough-trust'
  /** the checkpoint is malformed or not signed by more than 2/3 of its validator set */
  | 'invalid-checkpoint'
  /** a header at a checkpoint height differs from the trusted checkpoint (long-range attack) */
  | 'checkpoint-conflict'
  /** the fetcher failed or answered for the wrong height */
  | 'fetch-failed'
  /** bad parameters (trust level, periods, heights) */
  | 'invalid-options';

export class LightClientError extends Error {
  override name = 'LightClientError';
  readonly docsPath = '/sdk/light';
  constructor(
    readonly code: LightClientErrorCode,
    readonly shortMessage: string,
    readonly details?: string,
    options?: { cause?: unknown },
  ) {
    super(details ? `${shortMessage}: ${details}` : shortMessage, options);
  }
}

/**
 * A header at `height` whose hash is not the trusted checkpoint's: whoever served it
 * is on a conflicting history (DESIGN §3, long-range attack defence). Never retry it
 * against the same source.
 */
export class CheckpointConflictError extends LightClientError {
  override name = 'CheckpointConflictError';
  constructor(
    readonly height: bigint,
    readonly trustedHash: Uint8Array,
    readonly conflictingHash: Uint8Array,
  ) {
    super(
      'checkpoint-conflict',
      `header at height ${height} conflicts with a trusted checkpoint`,
      `checkpoint header hash ${toHex(trustedHash)}, got ${toHex(conflictingHash)}; the source serves a different history (long-range attack?)`,
    );
  }
}

export function isLightClientError(err: unknown, code?: LightClientErrorCode): err is LightClientError {
  return err instanceof LightClientError && (code === undefined || err.code === code);
}

export function toHex(b: Uint8Array): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('').toUpperCase();
}
