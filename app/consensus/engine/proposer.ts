/**
 * CometBFT's proposer rotation (types/validator_set.go, v0.38): every increment adds
 * each validator's voting power to its priority and takes the total power from the
 * validator with the highest priority (ties: the smaller address), who proposes.
 * Before a batch of increments the priorities are rescaled so that max - min stays
 * within PriorityWindowSizeFactor * total power, and centred on their average.
 * New validators start at -1.125 * total power so leaving and rejoining cannot reset
 * a negative priority. All arithmetic is int64 with CometBFT's clipping, in bigint.
 *
 * Functions here never mutate their inputs; they return new sets in CometBFT set
 * order (power descending, then address ascending).
 */
import type { Validator, ValidatorSet } from 'cosmjs-types/tendermint/types/validator';
import { compareBytes, MAX_TOTAL_VOTING_POWER, sortValidators, ValidatorSetError } from '../validators.js';

export const PRIORITY_WINDOW_SIZE_FACTOR = 2n;
const INT64_MAX = (1n << 63n) - 1n;
const INT64_MIN = -(1n << 63n);

const clip = (x: bigint): bigint => (x > INT64_MAX ? INT64_MAX : x < INT64_MIN ? INT64_MIN : x);
/** Go `safeAddClip` / `safeSubClip`. */
export const safeAddClip = (a: bigint, b: bigint): bigint => clip(a + b);
export const safeSubClip = (a: bigint, b: bigint): bigint => clip(a - b);

/** Go's big.Int Div is Euclidean: for a positive divisor it rounds towards -infinity. */
function floorDiv(a: bigint, n: bigint): bigint {
  const q = a / n;
  return a % n !== 0n && a < 0n ? q - 1n : q;
}

function copyValidator(v: Validator): Validator {
  return { address: v.address, pubKey: v.pubKey, votingPower: v.votingPower, proposerPriority: v.proposerPriority };
}

function total(vals: readonly Validator[]): bigint {
  let sum = 0n;
  for (const v of vals) {
    sum = safeAddClip(sum, v.votingPower);
    if (sum > MAX_TOTAL_VOTING_POWER) throw new ValidatorSetError(`total voting power ${sum} exceeds the maximum ${MAX_TOTAL_VOTING_POWER}`);
  }
  return sum;
}

/** `Validator.CompareProposerPriority`: higher priority wins, then the smaller address. */
function morePriority(a: Validator | undefined, b: Validator): Validator {
  if (!a) return b;
  if (a.proposerPriority !== b.proposerPriority) return a.proposerPriority > b.proposerPriority ? a : b;
  const c = compareBytes(a.address, b.address);
  if (c === 0) throw new ValidatorSetError('cannot compare a validator with itself: duplicate address in the set');
  return c < 0 ? a : b;
}

/** `RescalePriorities`: divide every priority by ceil(diff / diffMax) when max - min exceeds diffMax. */
function rescale(vals: Validator[], diffMax: bigint): void {
  if (diffMax <= 0n) return;
  let max = INT64_MIN;
  let min = INT64_MAX;
  for (const v of vals) {
    if (v.proposerPriority < min) min = v.proposerPriority;
    if (v.proposerPriority > max) max = v.proposerPriority;
  }
  let diff = max - min;
  if (diff < 0n) diff = -diff;
  if (diff <= diffMax) return;
  const ratio = (diff + diffMax - 1n) / diffMax;
  for (const v of vals) v.proposerPriority /= ratio; // truncates towards zero, as Go's int64 division
}

/** `shiftByAvgProposerPriority`. */
function centre(vals: Validator[]): void {
  let sum = 0n;
  for (const v of vals) sum += v.proposerPriority;
  const avg = floorDiv(sum, BigInt(vals.length));
  for (const v of vals) v.proposerPriority = safeSubClip(v.proposerPriority, avg);
}

/** The validator with the highest priority (CometBFT `findProposer`). */
export function findProposer(validators: readonly Validator[]): Validator {
  let best: Validator | undefined;
  for (const v of validators) best = morePriority(best, v);
  if (!best) throw new ValidatorSetError('empty validator set has no proposer');
  return best;
}

/** `ValidatorSet.IncrementProposerPriority(times)` on a copy. */
export function incrementProposerPriority(set: ValidatorSet, times: number): ValidatorSet {
  if (set.validators.length === 0) throw new ValidatorSetError('cannot increment the proposer priority of an empty validator set');
  if (!Number.isSafeInteger(times) || times <= 0) throw new ValidatorSetError(`proposer priority increments must be a positive integer, got ${times}`);
  const vals = set.validators.map(copyValidator);
  const tvp = total(vals);
  rescale(vals, PRIORITY_WINDOW_SIZE_FACTOR * tvp);
  centre(vals);
  let proposer: Validator | undefined;
  for (let i = 0; i < times; i++) {
    for (const v of vals) v.proposerPriority = safeAddClip(v.proposerPriority, v.votingPower);
    proposer = findProposer(vals);
    proposer.proposerPriority = safeSubClip(proposer.proposerPriority, tvp);
  }
  return { validators: vals, proposer, totalVotingPower: tvp };
}

/** The set's designated proposer (`GetProposer`): the `proposer` field, or the highest priority. */
export function getProposer(set: ValidatorSet): Validator {
  return set.proposer ?? findProposer(set.validators);
}

/**
 * The proposer of `round` at a height whose set (as the state holds it for round 0) is
 * `set`. CometBFT increments its round-state copy on every round change; computing
 * IncrementProposerPriority(round) from the height's set gives the same proposer while
 * priorities stay inside the window (always, after the first centring), and does not
 * depend on the path of rounds a node happened to take.
 */
export function proposerForRound(set: ValidatorSet, round: number): Validator {
  return round === 0 ? getProposer(set) : getProposer(incrementProposerPriority(set, round));
}

/**
 * `ValidatorSet.UpdateWithChangeSet`: entries with power 0 remove, others add or change
 * power. Changed validators keep their priority, new ones start at -1.125 * (total after
 * updates, before removals); then rescale, centre and re-sort. Throws ValidatorSetError
 * (and leaves `set` untouched) on duplicates, negative power, unknown removals, an empty
 * result or a total above MaxTotalVotingPower.
 */
export function updateWithChangeSet(set: ValidatorSet, changes: readonly Validator[]): ValidatorSet {
  if (changes.length === 0) return { validators: set.validators.map(copyValidator), proposer: set.proposer, totalVotingPower: total(set.validators) };
  const sorted = [...changes].sort((a, b) => compareBytes(a.address, b.address));
  const updates: Validator[] = [];
  const removals: Validator[] = [];
  for (let i = 0; i < sorted.length; i++) {
    const c = sorted[i];
    if (i > 0 && compareBytes(sorted[i - 1].address, c.address) === 0) throw new ValidatorSetError('duplicate entry in validator changes');
    if (c.votingPower < 0n) throw new ValidatorSetError(`voting power can't be negative: ${c.votingPower}`);
    if (c.votingPower > MAX_TOTAL_VOTING_POWER) throw new ValidatorSetError(`voting power can't be higher than ${MAX_TOTAL_VOTING_POWER}, got ${c.votingPower}`);
    (c.votingPower === 0n ? removals : updates).push(c);
  }
  const key = (a: Uint8Array) => Array.from(a, (x) => x.toString(16).padStart(2, '0')).join('');
  const current = new Map(set.validators.map((v) => [key(v.address), v]));
  const newCount = updates.filter((u) => !current.has(key(u.address))).length;
  if (newCount === 0 && removals.length === set.validators.length) throw new ValidatorSetError('applying the validator changes would result in an empty set');
  let removedPower = 0n;
  for (const r of removals) {
    const v = current.get(key(r.address));
    if (!v) throw new ValidatorSetError(`failed to find validator ${key(r.address).toUpperCase()} to remove`);
    removedPower += v.votingPower;
  }
  if (removals.length > set.validators.length) throw new ValidatorSetError('more deletes than validators');
  // verifyUpdates: apply power decreases first so no intermediate total overflows.
  const delta = (u: Validator) => u.votingPower - (current.get(key(u.address))?.votingPower ?? 0n);
  let tvp = total(set.validators) - removedPower;
  for (const u of [...updates].sort((a, b) => (delta(a) < delta(b) ? -1 : delta(a) > delta(b) ? 1 : 0))) {
    tvp += delta(u);
    if (tvp > MAX_TOTAL_VOTING_POWER) throw new ValidatorSetError(`total voting power of the resulting set exceeds the maximum ${MAX_TOTAL_VOTING_POWER}`);
  }
  const tvpAfterUpdatesBeforeRemovals = tvp + removedPower;
  const next = new Map([...current].map(([k, v]) => [k, copyValidator(v)]));
  for (const u of updates) {
    const old = current.get(key(u.address));
    const priority = old ? old.proposerPriority : -(tvpAfterUpdatesBeforeRemovals + (tvpAfterUpdatesBeforeRemovals >> 3n));
    next.set(key(u.address), { address: u.address, pubKey: u.pubKey, votingPower: u.votingPower, proposerPriority: priority });
  }
  for (const r of removals) next.delete(key(r.address));
  const vals = [...next.values()];
  const newTotal = total(vals);
  rescale(vals, PRIORITY_WINDOW_SIZE_FACTOR * newTotal);
  centre(vals);
  return { validators: sortValidators(vals), proposer: set.proposer, totalVotingPower: newTotal };
}

/** `NewValidatorSet`: every validator is new (priority centred to 0), then one increment. */
export function newValidatorSet(validators: readonly Validator[]): ValidatorSet {
  if (validators.length === 0) throw new ValidatorSetError('a validator set needs at least one validator');
  for (const v of validators) {
    if (v.votingPower <= 0n) throw new ValidatorSetError(`validator power must be positive in a new set, got ${v.votingPower}`);
  }
  const base = updateWithChangeSet({ validators: [], totalVotingPower: 0n }, validators);
  return incrementProposerPriority(base, 1);
}

/**
 * The sets a chain state carries from one height to the next (CometBFT
 * state/execution.go updateState): validators(h+1) = nextValidators(h), and
 * nextValidators(h+1) = nextValidators(h) with the app's updates from block h
 * applied, incremented once. Genesis: validators = NewValidatorSet(genesis),
 * nextValidators = that incremented once more.
 */
export interface ValidatorSchedule {
  validators: ValidatorSet;
  nextValidators: ValidatorSet;
}

export function genesisSchedule(genesis: readonly Validator[]): ValidatorSchedule {
  const validators = newValidatorSet(genesis);
  return { validators, nextValidators: incrementProposerPriority(validators, 1) };
}

export function advanceSchedule(s: ValidatorSchedule, updates: readonly Validator[] = []): ValidatorSchedule {
  const changed = updates.length > 0 ? updateWithChangeSet(s.nextValidators, updates) : s.nextValidators;
  return { validators: s.nextValidators, nextValidators: incrementProposerPriority(changed, 1) };
}
