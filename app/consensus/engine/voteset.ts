/**
 * The votes of one (height, round, type), tallied by stake (CometBFT types/vote_set.go).
 * Each validator's first vote is its vote; a second, different one is a conflict,
 * returned so the caller can make evidence. Thresholds are exact: "2f+1" is
 * power·3 > total·2, "f+1" is power·3 > total.
 *
 * Tallies per block id count every validator that signed for it, as the paper counts
 * messages: an equivocator's vote for v counts for v even if it voted nil first. Otherwise
 * a proof of lock built with an equivocator's vote could never be shown to a node that
 * saw its other vote, and a locked honest node could stall the height forever. Storing
 * every conflicting vote would let one validator fill memory, so (as CometBFT's peer
 * "maj23" claims) conflicting votes count only for *tracked* block ids, which the
 * engine sets from what proves a majority: a proposal's proof-of-lock id, a verified
 * commit's id. Until a block id is tracked, up to MAX_ALTERNATES conflicting votes per
 * validator are kept aside and counted when it is.
 */
import type { BlockID, Vote } from 'cosmjs-types/tendermint/types/types';
import { blockKey, NIL_KEY } from './ids.js';

export type AddVoteResult = { kind: 'added' } | { kind: 'duplicate' } | { kind: 'conflict'; existing: Vote };

/** power > 2/3 of total. */
export const overTwoThirds = (power: bigint, total: bigint): boolean => power * 3n > total * 2n;
/** power > 1/3 of total. */
export const overOneThird = (power: bigint, total: bigint): boolean => power * 3n > total;

const MAX_ALTERNATES = 2;
const MAX_TRACKED = 4;

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

interface Tally {
  blockId: BlockID;
  power: bigint;
  /** Votes counted here that are not their validator's first vote. */
  extra: Map<number, Vote>;
}

export class VoteSet {
  /** power > need23 ⟺ power·3 > total·2 for integers (and likewise for 1/3): one comparison per vote. */
  private readonly need23: bigint;
  private readonly votes: (Vote | undefined)[];
  private readonly keys: (string | undefined)[];
  private readonly tallies = new Map<string, Tally>();
  private readonly tracked = new Set<string>();
  private readonly alternates = new Map<number, Vote[]>();
  private sum = 0n;
  private maj23: string | undefined;

  constructor(
    readonly round: number,
    private readonly powers: readonly bigint[],
    readonly totalPower: bigint,
  ) {
    this.votes = new Array(powers.length);
    this.keys = new Array(powers.length);
    this.need23 = (totalPower * 2n) / 3n;
  }

  /** The first vote of validator `index`, if any. */
  get(index: number): Vote | undefined {
    return this.votes[index];
  }

  keyOf(index: number): string | undefined {
    return this.keys[index];
  }

  /** Validator `index`'s vote for `key`: its first vote, or a counted conflicting one. */
  voteFor(index: number, key: string): Vote | undefined {
    return this.keys[index] === key ? this.votes[index] : this.tallies.get(key)?.extra.get(index);
  }

  /** True if this exact vote is already held; the caller can skip verifying it again. */
  has(index: number, vote: Vote): boolean {
    const held = this.voteFor(index, blockKey(vote.blockId)) ?? this.alternates.get(index)?.find((a) => blockKey(a.blockId) === blockKey(vote.blockId));
    return !!held && sameBytes(held.signature, vote.signature);
  }

  private count(index: number, key: string, vote: Vote, first: boolean): void {
    let t = this.tallies.get(key);
    if (!t) {
      t = { blockId: vote.blockId, power: 0n, extra: new Map() };
      this.tallies.set(key, t);
    }
    if (!first) t.extra.set(index, vote);
    t.power += this.powers[index];
    if (this.maj23 === undefined && t.power > this.need23) this.maj23 = key;
  }

  /** Add a vote whose signature the caller has verified. */
  add(index: number, vote: Vote): AddVoteResult {
    const key = blockKey(vote.blockId);
    const existing = this.votes[index];
    if (!existing) {
      this.votes[index] = vote;
      this.keys[index] = key;
      this.sum += this.powers[index];
      this.count(index, key, vote, true);
      return { kind: 'added' };
    }
    if (this.keys[index] === key || this.tallies.get(key)?.extra.has(index)) return { kind: 'duplicate' };
    if (this.tracked.has(key)) this.count(index, key, vote, false);
    else {
      const alts = this.alternates.get(index) ?? [];
      if (alts.length < MAX_ALTERNATES && !alts.some((a) => blockKey(a.blockId) === key)) alts.push(vote);
      this.alternates.set(index, alts);
    }
    return { kind: 'conflict', existing };
  }

  /** Count conflicting votes for `key` from now on (and those kept aside). Bounded to MAX_TRACKED ids. */
  track(key: string): void {
    if (key === NIL_KEY || this.tracked.has(key) || this.tracked.size >= MAX_TRACKED) return;
    this.tracked.add(key);
    for (const [index, alts] of this.alternates) {
      const i = alts.findIndex((a) => blockKey(a.blockId) === key);
      if (i < 0) continue;
      const [vote] = alts.splice(i, 1);
      if (this.keys[index] !== key) this.count(index, key, vote, false);
    }
  }

  /** Stake behind `key` ('' = nil). */
  powerFor(key: string): bigint {
    return this.tallies.get(key)?.power ?? 0n;
  }

  /** 2f+1 for `key` ('' = nil). */
  hasTwoThirdsFor(key: string): boolean {
    return this.powerFor(key) > this.need23;
  }

  /** 2f+1 validators voted, whatever for (paper lines 34 and 47); each validator counts once. */
  hasTwoThirdsAny(): boolean {
    return this.sum > this.need23;
  }

  /** The key that first reached 2f+1 ('' for nil). Two keys can only both get there if more than 1/3 equivocate. */
  twoThirdsMajority(): { key: string; blockId: BlockID } | undefined {
    if (this.maj23 === undefined) return undefined;
    return { key: this.maj23, blockId: this.tallies.get(this.maj23)!.blockId };
  }

  /** Every vote counted for `key`, in validator order. */
  votesFor(key: string): Vote[] {
    const out: Vote[] = [];
    for (let i = 0; i < this.votes.length; i++) {
      const v = this.voteFor(i, key);
      if (v) out.push(v);
    }
    return out;
  }
}
