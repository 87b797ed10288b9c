/**
 * The chain's validator sets, height by height, as every node's state would hold them:
 * updates from block h (the app's EndBlock) apply at h+2 (DESIGN §6; proposer.ts
 * advanceSchedule). The simulated app's update rule is a function of the decided block,
 * so all nodes agree on it: every `every` heights one genesis validator, picked by the
 * block hash, gets a new power, is removed, or (if out) rejoins with a fresh priority.
 * The rule never lets Byzantine stake reach 1/3 and keeps at least three honest
 * validators, the assumptions the checks rely on.
 */
import type { Validator, ValidatorSet } from 'cosmjs-types/tendermint/types/validator';
import { advanceSchedule, genesisSchedule, updateWithChangeSet, type ValidatorSchedule } from '../engine/proposer.js';
import { bytesEqual } from '../validators.js';

export class ValidatorSchedules {
  private readonly schedules: ValidatorSchedule[];
  private readonly decided = new Map<bigint, Uint8Array>();

  constructor(
    private readonly genesis: readonly Validator[],
    private readonly byzantine: ReadonlySet<number>,
    /** Change the set every this many heights; 0 keeps it fixed. */
    private readonly every: number,
  ) {
    this.schedules = [genesisSchedule(genesis)];
  }

  /** Record the block decided at `height` (the first decision; agreement makes all equal). */
  record(height: bigint, blockHash: Uint8Array): void {
    if (!this.decided.has(height)) this.decided.set(height, blockHash);
  }

  validatorsAt(height: bigint): ValidatorSet {
    while (BigInt(this.schedules.length) < height) {
      const h = BigInt(this.schedules.length);
      const hash = this.decided.get(h);
      if (!hash) throw new Error(`validator set for height ${height} asked for before block ${h} was decided`);
      const s = this.schedules[this.schedules.length - 1];
      this.schedules.push(advanceSchedule(s, this.updatesFor(h, hash, s.nextValidators)));
    }
    return this.schedules[Number(height) - 1].validators;
  }

  private updatesFor(height: bigint, hash: Uint8Array, next: ValidatorSet): Validator[] {
    if (this.every === 0 || height % BigInt(this.every) !== 0n) return [];
    const i = hash[0] % this.genesis.length;
    const g = this.genesis[i];
    const current = next.validators.find((v) => bytesEqual(v.address, g.address));
    let power: bigint;
    if (this.byzantine.has(i)) {
      if (!current) return [];
      power = current.votingPower / 2n; // Byzantine stake only shrinks (0 removes)
    } else power = current && hash[2] % 5 === 0 ? 0n : BigInt(1 + (hash[1] % 100));
    const update: Validator = { ...g, votingPower: power, proposerPriority: 0n };
    let after: ValidatorSet;
    try {
      after = updateWithChangeSet(next, [update]);
    } catch {
      return [];
    }
    const isByz = (v: Validator) => [...this.byzantine].some((b) => bytesEqual(this.genesis[b].address, v.address));
    const byzPower = after.validators.filter(isByz).reduce((a, v) => a + v.votingPower, 0n);
    const honest = after.validators.filter((v) => !isByz(v)).length;
    return byzPower * 3n < after.totalVotingPower && honest >= 3 ? [update] : [];
  }
}
