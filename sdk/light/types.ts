/**
 * What a light client handles: a signed header (header + the commit for it) and the
 * validator set that signed it, in CometBFT v0.38's own types (cosmjs-types), so a
 * node's `/commit` and `/validators` answers plug straight in. Browser-safe.
 */
import type { Commit, Header } from 'cosmjs-types/tendermint/types/types';
import type { ValidatorSet } from 'cosmjs-types/tendermint/types/validator';

export interface SignedHeader {
  header: Header;
  commit: Commit;
}

/** CometBFT `types.LightBlock`: a signed header and the set whose hash is its validators_hash. */
export interface LightBlock {
  signedHeader: SignedHeader;
  validatorSet: ValidatorSet;
}

/** A fraction of voting power, e.g. the trust level 1/3. */
export interface Fraction {
  numerator: bigint;
  denominator: bigint;
}

export interface TrustOptions {
  chainId: string;
  /**
   * How long after its time a trusted header may still be used to verify newer ones.
   * Keep it well under the unbonding period (CometBFT advises 2/3 of it): after that
   * the validators that signed it may have left and no longer risk their stake.
   */
  trustingPeriodMs: number;
  /** How far in the future a new header's time may be, against `now`. Default 10 s (CometBFT `defaultMaxClockDrift`). */
  maxClockDriftMs?: number;
  /** Share of the trusted set's power that must sign a skipped-to header. Default 1/3, allowed 1/3..1. */
  trustLevel?: Fraction;
}

/** CometBFT `version.BlockProtocol`. */
export const BLOCK_PROTOCOL = 11n;
/** CometBFT `MaxChainIDLen`. */
export const MAX_CHAIN_ID_LENGTH = 50;
export const DEFAULT_MAX_CLOCK_DRIFT_MS = 10_000;
export const DEFAULT_TRUST_LEVEL: Fraction = Object.freeze({ numerator: 1n, denominator: 3n });
