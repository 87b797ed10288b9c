/**
 * Skipping verification with bisection (CometBFT light/client.go `verifySkipping`):
 * try to jump from the trusted header straight to the target; when too little of the
 * trusted set signed it (`not-enough-trust`), fetch the header halfway and try that
 * first, then resume from whatever got verified. Headers at trusted checkpoint heights
 * are waypoints every path goes through, and each must have the checkpoint's hash.
 * Below the trusted height, headers are verified backwards by hash links.
 * Browser-safe; the fetcher does the I/O.
 */
import { headerHash } from '../../app/consensus/encoding/hashes.js';
import { bytesEqual } from '../../app/consensus/validators.js';
import { validateLightBlock } from './basic.js';
import type { Checkpoint } from './checkpoint.js';
import { CheckpointConflictError, LightClientError, toHex } from './errors.js';
import type { TrustStore } from './trust-store.js';
import type { LightBlock, TrustOptions } from './types.js';
import { headerExpired, verifyLightBlock } from './verifier.js';
import { compareTimestamps } from '../../app/consensus/encoding/time.js';

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
  /** Every light block verified on the way, trusted first, target last (descending when the target is below the trusted height). */
  trace: LightBlock[];
}

export type VerifyToHeightErrorType = LightClientError;

/**
 * Verify the light block at `targetHeight` from `trusted`: above it by skipping with
 * bisection where the validator set changed too much, below it by hash links.
 */
export async function verifyToHeight(p: VerifyToHeightParameters): Promise<VerifyToHeightReturnType> {
  const { trusted, targetHeight, options, nowMs, trustStore } = p;
  const maxFetches = p.maxFetches ?? 256;
  if (typeof targetHeight !== 'bigint' || targetHeight <= 0n) throw new LightClientError('invalid-options', 'target height must be a positive bigint', `got ${targetHeight}`);
  validateLightBlock(trusted, options.chainId);
  trustStore?.checkHeader(trusted.signedHeader.header);
  const from = trusted.signedHeader.header.height;
  if (targetHeight === from) return { lightBlock: trusted, trace: [trusted] };
  if (targetHeight < from && from - targetHeight > BigInt(maxFetches)) {
    throw new LightClientError('invalid-options', `target height ${targetHeight} is ${from - targetHeight} heights below the trusted height ${from}`, `backwards verification fetches every header in between; the limit is ${maxFetches}: start from an older trusted header or checkpoint`);
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

  if (targetHeight < from) return verifyBackwards(trusted, targetHeight, fetch, p);

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

/**
 * CometBFT light/client.go `backwards` + `VerifyBackwards`: below the trusted height a
 * header is trusted when its hash is the `last_block_id` of the trusted header above it
 * (hash links need no signatures), its time is earlier and its chain the same.
 */
async function verifyBackwards(trusted: LightBlock, targetHeight: bigint, fetch: FetchLightBlock, p: VerifyToHeightParameters): Promise<VerifyToHeightReturnType> {
  if (headerExpired(trusted.signedHeader, p.options.trustingPeriodMs, p.nowMs)) {
    throw new LightClientError('trusted-header-expired', `trusted header ${trusted.signedHeader.header.height} is older than the trusting period`, 'start again from a recent trusted checkpoint');
  }
  const trace: LightBlock[] = [trusted];
  let above = trusted.signedHeader.header;
  for (let h = above.height - 1n; h >= targetHeight; h--) {
    const lb = await fetch(h);
    const header = lb.signedHeader.header;
    const hash = headerHash(header)!;
    if (!bytesEqual(hash, above.lastBlockId.hash)) {
      throw new LightClientError('invalid-header', `header ${h} is not the one header ${above.height} follows`, `its hash ${toHex(hash)}, last_block_id of ${above.height} ${toHex(above.lastBlockId.hash)}`);
    }
    if (compareTimestamps(header.time, above.time) >= 0) throw new LightClientError('not-monotonic', `header ${h} is not earlier than header ${above.height}`);
    trace.push(lb);
    above = header;
  }
  return { lightBlock: trace[trace.length - 1], trace };
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
