/**
 * Everything the engine knows about the height it is deciding: the validator set,
 * the paper's per-height variables (Algorithm 1 lines 3-9), proposals by round, block
 * bodies by id with their validation status, and the votes. Reset for every height
 * (line 53: "reset ... and empty message log").
 */
import type { BlockID, Proposal, Vote } from 'cosmjs-types/tendermint/types/types';
import type { Validator, ValidatorSet } from 'cosmjs-types/tendermint/types/validator';
import { bytesEqual } from '../validators.js';
import { HeightVotes } from './heightvotes.js';
import { toHex } from './ids.js';
import { proposerForRound } from './proposer.js';
import type { Step } from './types.js';
import { EngineError } from './types.js';

export type Validity = 'pending' | 'valid' | 'invalid';

/** One of our messages handed to the signer and not yet back. */
export type PendingSign = { kind: 'vote'; vote: Vote } | { kind: 'proposal'; proposal: Proposal };

export interface KnownBlock {
  blockId: BlockID;
  bytes: Uint8Array;
  validity: Validity;
  timeMs?: number;
}

export interface HeightState {
  height: bigint;
  validators: ValidatorSet;
  powers: bigint[];
  totalPower: bigint;
  byAddress: Map<string, number>;
  /** Our index in the set, -1 if we do not vote at this height. */
  self: number;
  lastBlockTimeMs: number;

  round: number;
  step: Step;
  lockedKey: string | undefined;
  lockedRound: number;
  validKey: string | undefined;
  validRound: number;
  decision: { round: number; key: string } | undefined;

  votes: HeightVotes;
  /** The first validly signed proposal from proposer(h, r), per round. */
  proposals: Map<number, Proposal>;
  blocks: Map<string, KnownBlock>;

  /** "for the first time" guards of lines 34, 36 and 47, per round. */
  prevoteTimeoutSet: Set<number>;
  precommitTimeoutSet: Set<number>;
  line36Done: Set<number>;
  /** Our own messages waiting for the signer, by `${round}/${kind}`. */
  pendingSign: Map<string, PendingSign>;
  /** Rounds we asked the host to build a block for. */
  buildRequested: Set<number>;
  /** Our block for a round we propose, once built. */
  ownBlock: Map<number, string>;
  /** A catch-up request is out; cleared on every timeout so it is retried. */
  catchupRequested: boolean;
  catchupCooldown: number;
  /** Waiting for the commit timeout and/or the next `start` after a decision. */
  commitTimeoutFired: boolean;
  /** A peer's commit for this height arrived: we are behind, so skip the commit wait. */
  caughtUp: boolean;
}

const proposerCache = new WeakMap<ValidatorSet, Map<number, Validator>>();
const indexCache = new WeakMap<ValidatorSet, Map<string, number>>();

/** Address (hex) → index, cached per set object (hosts pass the same set to every round of a height). */
function addressIndex(set: ValidatorSet): Map<string, number> {
  let m = indexCache.get(set);
  if (!m) {
    m = new Map();
    set.validators.forEach((v, i) => m!.set(toHex(v.address), i));
    indexCache.set(set, m);
  }
  return m;
}

/** proposer(h, r), cached per set object. */
export function proposerOf(s: HeightState, round: number): Validator {
  let cache = proposerCache.get(s.validators);
  if (!cache) {
    cache = new Map();
    proposerCache.set(s.validators, cache);
  }
  let p = cache.get(round);
  if (!p) {
    p = proposerForRound(s.validators, round);
    cache.set(round, p);
  }
  return p;
}

export function indexOfAddress(s: HeightState, address: Uint8Array): number {
  return s.byAddress.get(toHex(address)) ?? -1;
}

export function newHeightState(height: bigint, validators: ValidatorSet, own: { pubKey: Uint8Array; addressHex: string } | undefined, lastBlockTimeMs: number): HeightState {
  if (validators.validators.length === 0) throw new EngineError(`height ${height} has an empty validator set`);
  const powers = validators.validators.map((v) => v.votingPower);
  let total = 0n;
  for (const p of powers) {
    if (p <= 0n) throw new EngineError(`height ${height} has a validator with non-positive power ${p}`);
    total += p;
  }
  const byAddress = addressIndex(validators);
  const self = own ? (byAddress.get(own.addressHex) ?? -1) : -1;
  if (self >= 0 && !bytesEqual(validators.validators[self].pubKey.ed25519 ?? new Uint8Array(0), own!.pubKey)) {
    throw new EngineError('our address is in the validator set with a different public key');
  }
  return {
    height,
    validators,
    powers,
    totalPower: total,
    byAddress,
    self,
    lastBlockTimeMs,
    round: 0,
    step: 'propose',
    lockedKey: undefined,
    lockedRound: -1,
    validKey: undefined,
    validRound: -1,
    decision: undefined,
    votes: new HeightVotes(powers, total),
    proposals: new Map(),
    blocks: new Map(),
    prevoteTimeoutSet: new Set(),
    precommitTimeoutSet: new Set(),
    line36Done: new Set(),
    pendingSign: new Map(),
    buildRequested: new Set(),
    ownBlock: new Map(),
    catchupRequested: false,
    catchupCooldown: 0,
    commitTimeoutFired: false,
    caughtUp: false,
  };
}
