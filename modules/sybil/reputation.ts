/**
 * The reputation discount (issue 4), in integers only (DESIGN §3; the seed's float
 * `1.0 - discount` becomes basis points): earned by age in epochs since first seen and by
 * successful gated actions, lost per slash, clamped to [0, min(max_discount_bp, 5000)].
 */
import { BP, DISCOUNT_CAP_BP, type SybilParams } from './params.js';

export interface ReputationRecord {
  firstSeenHeight: bigint;
  successfulActions: bigint;
  slashes: bigint;
}

export function ageEpochs(rep: ReputationRecord, height: bigint, p: Pick<SybilParams, 'epochLength'>): bigint {
  if (rep.firstSeenHeight === 0n || height <= rep.firstSeenHeight) return 0n;
  return (height - rep.firstSeenHeight) / p.epochLength;
}

export function discountBp(rep: ReputationRecord, height: bigint, p: SybilParams): number {
  const earned = ageEpochs(rep, height, p) * BigInt(p.discountPerEpochBp) + rep.successfulActions * BigInt(p.discountPerActionBp);
  const d = earned - rep.slashes * BigInt(p.slashPenaltyBp);
  const cap = BigInt(Math.min(p.maxDiscountBp, DISCOUNT_CAP_BP));
  return Number(d < 0n ? 0n : d > cap ? cap : d);
}

/**
 * Stake needed after the discount. The discount amount rounds down, so the result rounds
 * up and is never below half the requirement.
 */
export function discountedStake(required: bigint, discount: number): bigint {
  return required - (required * BigInt(discount)) / BigInt(BP);
}
