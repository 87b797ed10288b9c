/**
 * Skipping verification with bisection (CometBFT light/client.go `verifySkipping`):
 * try to jump from the trusted header straight to the target; when too little of the
 * trusted set signed it (`not-enough-trust`), fetch the header halfway and try that
 * first, then resume from whatever got verified. Headers at trusted checkpoint heights
 * are waypoints every path goes through, and each must have the checkpoint's hash.
 * Browser-safe; the fetcher does the I/O.
 */
import { headerHash } from '../../app/consensus/encoding/hashes.js';
import { bytesEqual } from '../../app/consensus/validators.js';
import { validateLightBlock } from './basic.js';
import type { Checkpoint } from './checkpoint.js';
import { CheckpointConflictError, LightClientError, toHex } from './errors.js';
import type { TrustStore } from './trust-store.js';
import type { LightBlock, TrustOptions } from './types.js';
import { verifyLightBlock } from './verifier.js';

export type FetchLightBlock = (height: bigint) => Promise<LightBlock>;

export interface VerifyToHeightParameters {
  /** A light block the client trusts (verified before, or from `trustFromCheckpoint`). */
  trusted: LightBlock;
  targetHeight: bigint;
  /** Light block (signed header + validator set) at a height, from an untrusted source. */
  fetchLightBlock: FetchLightBlock;
  options: TrustOptions;
  /** The caller's clock, integer milliseconds since the epoch. */
  nowMs: number;
  /** Trusted checkpoints: every header at their heights must match them. */
  trustStore?: TrustStore;
  /** Give up after this many fetches (default 256; a bisection needs about log2(distance) per validator-set turnover). */
  maxFetches?: number;
}

export interface VerifyToHeightReturnType {
  /** The verified light block at `targetHeight`. */
  lightBlock: LightBlock;
  /** Every light block verified on the way, trusted first, target last. */
  trace: LightBlock[];
}

export type VerifyToHeightErrorType = LightClientError;

/** Verify the light block at `targetHeight` from `trusted`, bisecting where the validator set changed too much. */
export async function verifyToHeight(p: VerifyToHeightParameters): Promise<VerifyToHeightReturnType> {
  const { trusted, targetHeight, options, nowMs, trustStore } = p;
  const maxFetches = p.maxFetches ?? 256;
  if (typeof targetHeight !== 'bigint' || targetHeight <= 0n) throw new LightClientError('invalid-options', 'target height must be a positive bigint', `got ${targetHeight}`);
  validateLightBlock(trusted, options.chainId);
  trustStore?.checkHeader(trusted.signedHeader.header);
  const from = trusted.signedHeader.header.height;
  if (targetHeight === from) return { lightBlock: trusted, trace: [trusted] };
  if (targetHeight < from) {
    throw new LightClientError('invalid-options', `target height ${targetHeight} is below the trusted height ${from}`, 'verify from an older trusted header or checkpoint');
  }

  let fetches = 0;
  const fetch = async (height: bigint): Promise<LightBlock> => {
    if (++fetches > maxFetches) throw new LightClientError('fetch-failed', `gave up after ${maxFetches} fetches`, `verifying ${from} → ${targetHeight}`);
    let lb: LightBlock;
    try {
      lb = await p.fetchLightBlock(height);
    } catch (err) {
      throw new LightClientError('fetch-failed', `could not fetch the light block at height ${height}`, err instanceof Error ? err.message : String(err), { cause: err });
    }
    const got = lb?.signedHeader?.header?.height;
    if (got !== height) throw new LightClientError('fetch-failed', `asked for the light block at height ${height}, got ${got}`);
    validateLightBlock(lb, options.chainId);
    trustStore?.checkHeader(lb.signedHeader.header);
    return lb;
  };

  const trace: LightBlock[] = [trusted];
  let verified = trusted;
  const waypoints = [...(trustStore?.between(from, targetHeight).map((c) => c.height) ?? []), targetHeight];
  for (const waypoint of waypoints) {
    // CometBFT verifySkipping: `cache` holds fetched, not yet verified blocks, the target first.
    const cache: LightBlock[] = [await fetch(waypoint)];
    let depth = 0;
    for (;;) {
      const candidate = cache[depth];
      try {
        verifyLightBlock({ trusted: verified, untrusted: candidate, options, nowMs });
      } catch (err) {
        if (!(err instanceof LightClientError) || err.code !== 'not-enough-trust') throw err;
        if (depth === cache.length - 1) {
          const lo = verified.signedHeader.header.height;
          const pivot = lo + (candidate.signedHeader.header.height - lo) / 2n;
          cache.push(await fetch(pivot));
        }
        depth++;
        continue;
      }
      verified = candidate;
      trace.push(candidate);
      if (depth === 0) break;
      cache.length = depth;
      depth = 0;
    }
  }
  return { lightBlock: verified, trace };
}

export interface TrustFromCheckpointParameters {
  checkpoint: Checkpoint;
  /** The light block at the checkpoint's height, from any source. */
  lightBlock: LightBlock;
  chainId: string;
}

/**
 * Start trusting from a checkpoint (weak subjectivity): the light block at its height
 * becomes the trusted root when its header hashes to the checkpoint's header hash. The
 * checkpoint must come from a source the user trusts, and be recent: verification from
 * it fails with `trusted-header-expired` once its header is older than the trusting period.
 */
export function trustFromCheckpoint({ checkpoint, lightBlock, chainId }: TrustFromCheckpointParameters): LightBlock {
  validateLightBlock(lightBlock, chainId);
  const h = lightBlock.signedHeader.header;
  if (h.height !== checkpoint.height) throw new LightClientError('invalid-checkpoint', `checkpoint is for height ${checkpoint.height}, the light block for ${h.height}`);
  const hash = headerHash(h)!;
  if (!bytesEqual(hash, checkpoint.headerHash)) throw new CheckpointConflictError(h.height, checkpoint.headerHash, hash);
  if (!bytesEqual(h.nextValidatorsHash, checkpoint.nextValidatorsHash) || !bytesEqual(h.appHash, checkpoint.appHash)) {
    throw new LightClientError('invalid-checkpoint', `checkpoint ${checkpoint.height} names the header ${toHex(hash)} but disagrees with its app or next validators hash`);
  }
  return lightBlock;
}
