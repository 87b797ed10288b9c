/**
 * CometBFT v0.38 light-client verification (light/verifier.go): adjacent (h+1: the
 * header's validators are the trusted header's next validators) and non-adjacent
 * (skipping: more than the trust level, default 1/3, of the trusted set's power also
 * signed the new header; the "1/3 of the trusted set cannot all be Byzantine" argument
 * of the Tendermint light-client paper). Commits are checked by `app/consensus/verify.ts`
 * (CometBFT `VerifyCommitLight` / `VerifyCommitLightTrusting`). Pure: `nowMs` is the
 * caller's clock, there is no clock inside. Browser-safe.
 */
import { compareTimestamps, addMs, timestampFromMs } from '../../app/consensus/encoding/time.js';
import { CommitVerificationError, verifyCommitLight, verifyCommitLightTrusting } from '../../app/consensus/verify.js';
import { bytesEqual } from '../../app/consensus/validators.js';
import { validateLightBlock } from './basic.js';
import { LightClientError, toHex } from './errors.js';
import { DEFAULT_MAX_CLOCK_DRIFT_MS, DEFAULT_TRUST_LEVEL, type Fraction, type LightBlock, type SignedHeader, type TrustOptions } from './types.js';

export interface VerifyParameters {
  /** The header the client already trusts, with its validator set. */
  trusted: LightBlock;
  /** A newer header and the set that signed it, from an untrusted source. */
  untrusted: LightBlock;
  options: TrustOptions;
  /** The caller's clock, integer milliseconds since the epoch. */
  nowMs: number;
}
export type VerifyErrorType = import('./errors.js').LightClientError;

/** CometBFT `ValidateTrustLevel`: 1/3 ≤ level ≤ 1. */
export function validateTrustLevel(level: Fraction): void {
  const { numerator: n, denominator: d } = level;
  if (typeof n !== 'bigint' || typeof d !== 'bigint' || d <= 0n || n * 3n < d || n > d) {
    throw new LightClientError('invalid-options', 'trust level must be within [1/3, 1]', `got ${n}/${d}`);
  }
}

function validateOptions(o: TrustOptions, nowMs: number): void {
  if (!Number.isSafeInteger(o.trustingPeriodMs) || o.trustingPeriodMs <= 0) throw new LightClientError('invalid-options', 'trusting period must be a positive integer of milliseconds', `got ${o.trustingPeriodMs}`);
  const drift = o.maxClockDriftMs ?? DEFAULT_MAX_CLOCK_DRIFT_MS;
  if (!Number.isSafeInteger(drift) || drift < 0) throw new LightClientError('invalid-options', 'max clock drift must be a non-negative integer of milliseconds', `got ${drift}`);
  if (!Number.isSafeInteger(nowMs)) throw new LightClientError('invalid-options', 'now must be an integer of milliseconds', `got ${nowMs}`);
  validateTrustLevel(o.trustLevel ?? DEFAULT_TRUST_LEVEL);
}

/** CometBFT `HeaderExpired`: the header's time plus the trusting period is not after now. */
export function headerExpired(sh: SignedHeader, trustingPeriodMs: number, nowMs: number): boolean {
  return compareTimestamps(addMs(sh.header.time, trustingPeriodMs), timestampFromMs(nowMs)) <= 0;
}

function commitError(err: unknown, height: bigint, which: string): never {
  if (err instanceof CommitVerificationError) {
    throw new LightClientError('invalid-commit', `commit for height ${height} is not valid for ${which}`, `${err.reason}: ${err.message}`, { cause: err });
  }
  throw err;
}

/** CometBFT `verifyNewHeaderAndVals`, after the light block's own shape checks. */
function verifyNewHeaderAndVals(p: VerifyParameters): void {
  const { trusted, untrusted, options, nowMs } = p;
  validateLightBlock(untrusted, options.chainId);
  const th = trusted.signedHeader.header;
  const uh = untrusted.signedHeader.header;
  if (uh.height <= th.height) {
    throw new LightClientError('not-monotonic', `new header height ${uh.height} is not above the trusted height ${th.height}`);
  }
  if (compareTimestamps(uh.time, th.time) <= 0) {
    throw new LightClientError('not-monotonic', `new header time is not after the trusted header's`, `height ${uh.height} at ${uh.time.seconds}s+${uh.time.nanos}ns, trusted height ${th.height} at ${th.time.seconds}s+${th.time.nanos}ns`);
  }
  const drift = options.maxClockDriftMs ?? DEFAULT_MAX_CLOCK_DRIFT_MS;
  if (compareTimestamps(uh.time, timestampFromMs(nowMs + drift)) >= 0) {
    throw new LightClientError('header-from-future', `header ${uh.height} has a time from the future`, `its time ${uh.time.seconds}s is not before now (${nowMs} ms) + max clock drift ${drift} ms`);
  }
}

function checkNotExpired(p: VerifyParameters): void {
  if (headerExpired(p.trusted.signedHeader, p.options.trustingPeriodMs, p.nowMs)) {
    throw new LightClientError(
      'trusted-header-expired',
      `trusted header ${p.trusted.signedHeader.header.height} is older than the trusting period`,
      `it expired ${p.options.trustingPeriodMs} ms after its time; start again from a recent trusted checkpoint`,
    );
  }
}

function checkTrustedChain(p: VerifyParameters): void {
  if (p.trusted.signedHeader.header.chainId !== p.options.chainId) {
    throw new LightClientError('wrong-chain', 'trusted header is from another chain', `got ${JSON.stringify(p.trusted.signedHeader.header.chainId)}, expected ${JSON.stringify(p.options.chainId)}`);
  }
}

/** CometBFT `VerifyAdjacent`: `untrusted` is `trusted` + 1 and is signed by more than 2/3 of the trusted header's next validators. */
export function verifyAdjacent(p: VerifyParameters): void {
  validateOptions(p.options, p.nowMs);
  checkTrustedChain(p);
  const th = p.trusted.signedHeader.header;
  const uh = p.untrusted.signedHeader?.header;
  if (uh?.height !== th.height + 1n) throw new LightClientError('invalid-options', 'headers must be adjacent in height', `trusted ${th.height}, new ${uh?.height}`);
  checkNotExpired(p);
  verifyNewHeaderAndVals(p);
  if (!bytesEqual(uh.validatorsHash, th.nextValidatorsHash)) {
    throw new LightClientError(
      'validators-mismatch',
      `header ${uh.height} is not signed by the validators header ${th.height} named next`,
      `validators_hash ${toHex(uh.validatorsHash)}, trusted next_validators_hash ${toHex(th.nextValidatorsHash)}`,
    );
  }
  const { commit } = p.untrusted.signedHeader;
  try {
    verifyCommitLight(p.options.chainId, p.untrusted.validatorSet, commit.blockId, uh.height, commit);
  } catch (err) {
    commitError(err, uh.height, 'its own validator set');
  }
}

/**
 * CometBFT `VerifyNonAdjacent`: more than the trust level of the trusted set's power
 * signed `untrusted` (else `not-enough-trust`: verify a header in between first), and
 * more than 2/3 of the new set signed it.
 */
export function verifyNonAdjacent(p: VerifyParameters): void {
  validateOptions(p.options, p.nowMs);
  checkTrustedChain(p);
  const th = p.trusted.signedHeader.header;
  const uh = p.untrusted.signedHeader?.header;
  if (uh?.height === th.height + 1n) throw new LightClientError('invalid-options', 'headers must be non-adjacent in height', `trusted ${th.height}, new ${uh.height}`);
  checkNotExpired(p);
  verifyNewHeaderAndVals(p);
  const { commit } = p.untrusted.signedHeader;
  try {
    verifyCommitLightTrusting(p.options.chainId, p.trusted.validatorSet, commit, p.options.trustLevel ?? DEFAULT_TRUST_LEVEL);
  } catch (err) {
    if (err instanceof CommitVerificationError && err.reason === 'not-enough-power') {
      throw new LightClientError('not-enough-trust', `too little of the trusted set signed header ${uh.height}`, err.message, { cause: err });
    }
    commitError(err, uh.height, `the trusted validator set of height ${th.height}`);
  }
  try {
    verifyCommitLight(p.options.chainId, p.untrusted.validatorSet, commit.blockId, uh.height, commit);
  } catch (err) {
    commitError(err, uh.height, 'its own validator set');
  }
}

/** CometBFT `Verify`: adjacent or skipping, by height. */
export function verifyLightBlock(p: VerifyParameters): void {
  if (p.untrusted?.signedHeader?.header?.height === p.trusted.signedHeader.header.height + 1n) verifyAdjacent(p);
  else verifyNonAdjacent(p);
}
