import { SignedMsgType } from 'cosmjs-types/tendermint/types/types';
import { describe, expect, it } from 'vitest';
import { blockIdsEqual, verifyCommit } from '../../../app/consensus/verify.js';
import { isZeroBlockId } from '../../../app/consensus/encoding/canonical.js';
import { verifyDuplicateVoteEvidence } from '../../../app/consensus/engine/evidence.js';
import { createEngine } from '../../../app/consensus/engine/engine.js';
import type { Effect, EngineEvent } from '../../../app/consensus/engine/types.js';
import { block, CHAIN, Driver, makeValidators, ofType, proposal, proposerOf, T0, verify, vote } from './harness.js';

// Four validators of equal power: any three are more than 2/3.
const { set, vals } = makeValidators([10, 10, 10, 10]);
const p0 = proposerOf(set, vals, 0);
const p1 = proposerOf(set, vals, 1);
const p2 = proposerOf(set, vals, 2);
/** A validator that proposes in none of rounds 0-2, so the tests feed every proposal. */
const me = vals.find((v) => v !== p0 && v !== p1 && v !== p2) ?? vals.find((v) => v !== p0 && v !== p1)!;
const others = vals.filter((v) => v !== me);
const B = block('block B');
const C = block('block C');

describe('one height with honest peers', () => {
  it('prevotes, precommits and decides the proposal in round 0, with a commit verify.ts accepts', () => {
    const d = new Driver(me, set);
    d.start();
    const afterProposal = d.propose(proposal(p0, 1n, 0, B.blockId), B.bytes);
    const [pv] = Driver.ownVotes(afterProposal, me);
    expect(pv.type).toBe(SignedMsgType.SIGNED_MSG_TYPE_PREVOTE);
    expect(blockIdsEqual(pv.blockId, B.blockId)).toBe(true);

    const effects: Effect[] = [];
    for (const v of others) effects.push(...d.vote(vote(v, 'prevote', 1n, 0, B.blockId)));
    const [pc] = Driver.ownVotes(effects, me);
    expect(pc.type).toBe(SignedMsgType.SIGNED_MSG_TYPE_PRECOMMIT);
    expect(d.engine.state()).toMatchObject({ lockedRound: 0, validRound: 0, step: 'precommit' });

    const final: Effect[] = [];
    for (const v of others.slice(0, 2)) final.push(...d.vote(vote(v, 'precommit', 1n, 0, B.blockId)));
    const [commit] = ofType(final, 'commit');
    expect(commit.height).toBe(1n);
    expect(blockIdsEqual(commit.blockId, B.blockId)).toBe(true);
    // The commit is CometBFT's: every present signature verifies against the set, by index.
    expect(verifyCommit(CHAIN, set, B.blockId, 1, commit.commit)).toBe(30n);
    expect(ofType(final, 'schedule').some((s) => s.timeout.step === 'commit' && s.delayMs === 1000)).toBe(true);
  });

  it('enters the next height only after timeout_commit and the host has applied the block', () => {
    const d = new Driver(me, set);
    d.start();
    d.propose(proposal(p0, 1n, 0, B.blockId), B.bytes);
    for (const v of others) d.vote(vote(v, 'prevote', 1n, 0, B.blockId));
    for (const v of others) d.vote(vote(v, 'precommit', 1n, 0, B.blockId));
    d.feed({ type: 'start', now: T0, height: 2n, validators: set });
    expect(d.engine.state()?.height).toBe(1n);
    d.timeout('commit', 0);
    expect(d.engine.state()).toMatchObject({ height: 2n, round: 0, step: 'propose' });
  });

  it('prevotes nil when the app rejects the block', () => {
    const d = new Driver(me, set);
    d.invalid.add('block B');
    d.start();
    const [pv] = Driver.ownVotes(d.propose(proposal(p0, 1n, 0, B.blockId), B.bytes), me);
    expect(isZeroBlockId(pv.blockId)).toBe(true);
  });

  it('a follower without a key decides without signing anything', () => {
    const d = new Driver(undefined, set);
    d.start();
    const effects = [...d.propose(proposal(p0, 1n, 0, B.blockId), B.bytes)];
    for (const v of vals.slice(0, 3)) effects.push(...d.vote(vote(v, 'precommit', 1n, 0, B.blockId)));
    expect(ofType(effects, 'signVote')).toHaveLength(0);
    expect(ofType(effects, 'commit')).toHaveLength(1);
  });
});

describe('timeouts (paper lines 57-67)', () => {
  it('grow linearly with the round: propose 3000 + 500r ms, prevote and precommit 1000 + 500r ms', () => {
    const d = new Driver(me, set);
    const delays = (effects: Effect[], step: string) => ofType(effects, 'schedule').filter((s) => s.timeout.step === step).map((s) => s.delayMs);
    expect(delays(d.start(), 'propose')).toEqual([3000]);
    const toPrevote = d.timeout('propose', 0);
    expect(Driver.ownVotes(toPrevote, me).map((v) => isZeroBlockId(v.blockId))).toEqual([true]);
    const eff: Effect[] = [];
    for (const v of others) eff.push(...d.vote(vote(v, 'prevote', 1n, 0)));
    expect(delays(eff, 'prevote')).toEqual([1000]);
    const pcs: Effect[] = [];
    for (const v of others) pcs.push(...d.vote(vote(v, 'precommit', 1n, 0)));
    expect(delays(pcs, 'precommit')).toEqual([1000]);
    expect(delays(d.timeout('precommit', 0), 'propose')).toEqual([3500]);
    expect(d.engine.state()?.round).toBe(1);
  });

  it('take configured values', () => {
    const d = new Driver(me, set, { timeoutPropose: 100, timeoutProposeDelta: 10 });
    d.start();
    d.timeout('propose', 0);
    for (const v of others) d.vote(vote(v, 'prevote', 1n, 0));
    for (const v of others) d.vote(vote(v, 'precommit', 1n, 0));
    const s = ofType(d.timeout('precommit', 0), 'schedule').find((x) => x.timeout.step === 'propose');
    expect(s?.delayMs).toBe(110);
  });

  it('ignore timers of another round or height', () => {
    const d = new Driver(me, set);
    d.start();
    expect(d.timeout('propose', 3)).toEqual([]);
    expect(d.timeout('propose', 0, 7n)).toEqual([]);
    expect(d.engine.state()?.step).toBe('propose');
  });
});

describe('locking and proof of lock (lines 22-43)', () => {
  /** Lock on B in round 0, then fail the round with nil precommits from the others. */
  function lockedOnB(): Driver {
    const d = new Driver(me, set);
    d.start();
    d.propose(proposal(p0, 1n, 0, B.blockId), B.bytes);
    for (const v of others) d.vote(vote(v, 'prevote', 1n, 0, B.blockId));
    for (const v of others) d.vote(vote(v, 'precommit', 1n, 0));
    d.timeout('precommit', 0);
    return d;
  }

  it('a locked validator prevotes nil for a different block without proof of lock', () => {
    const d = lockedOnB();
    expect(d.engine.state()).toMatchObject({ round: 1, lockedRound: 0 });
    const [pv] = Driver.ownVotes(d.propose(proposal(p1, 1n, 1, C.blockId), C.bytes), me);
    expect(isZeroBlockId(pv.blockId)).toBe(true);
  });

  it('a locked validator prevotes its locked block again when it is re-proposed with its POL round', () => {
    const d = lockedOnB();
    const [pv] = Driver.ownVotes(d.propose(proposal(p1, 1n, 1, B.blockId, 0), B.bytes), me);
    expect(blockIdsEqual(pv.blockId, B.blockId)).toBe(true);
  });

  it('relocks on a new block while still in its prevote step (line 36)', () => {
    const d = lockedOnB();
    d.propose(proposal(p1, 1n, 1, C.blockId), C.bytes); // we prevote nil: locked on B
    const eff: Effect[] = [];
    for (const v of others) eff.push(...d.vote(vote(v, 'prevote', 1n, 1, C.blockId)));
    expect(d.engine.state()).toMatchObject({ lockedRound: 1, validRound: 1 });
    expect(Driver.ownVotes(eff, me).map((v) => blockIdsEqual(v.blockId, C.blockId))).toEqual([true]);
  });

  it('a proof of lock from a later round unlocks (line 29: lockedRound ≤ vr)', () => {
    const d = lockedOnB();
    // Round 1: we never get C's proposal, prevote nil on timeout, and precommit nil; the others saw 2/3 for C.
    d.timeout('propose', 1);
    for (const v of others) d.vote(vote(v, 'prevote', 1n, 1, C.blockId));
    d.timeout('prevote', 1);
    expect(d.engine.state()).toMatchObject({ lockedRound: 0, step: 'precommit' });
    for (const v of others) d.vote(vote(v, 'precommit', 1n, 1));
    d.timeout('precommit', 1);
    // Round 2 re-proposes C with POL round 1 > our locked round 0: we prevote C.
    const [pv] = Driver.ownVotes(d.propose(proposal(p2, 1n, 2, C.blockId, 1), C.bytes), me);
    expect(blockIdsEqual(pv.blockId, C.blockId)).toBe(true);
  });

  it('a re-proposal whose POL it has not seen gets no prevote until the proposer sends the POL', () => {
    const d = new Driver(me, set);
    d.start();
    d.timeout('propose', 0);
    for (const v of others) d.vote(vote(v, 'prevote', 1n, 0));
    for (const v of others) d.vote(vote(v, 'precommit', 1n, 0));
    d.timeout('precommit', 0);
    expect(Driver.ownVotes(d.propose(proposal(p1, 1n, 1, B.blockId, 0), B.bytes), me)).toHaveLength(0);
    // The proposer's proof of lock: 2/3 prevotes for B in round 0 (conflicting with the nil ones we hold).
    const eff: Effect[] = [];
    for (const v of others) eff.push(...d.vote(vote(v, 'prevote', 1n, 0, B.blockId), 'proposer'));
    expect(ofType(eff, 'evidence').length).toBeGreaterThan(0); // they did prevote nil too
    const [pv] = Driver.ownVotes(eff, me);
    expect(blockIdsEqual(pv.blockId, B.blockId)).toBe(true);
  });
});

describe('round skipping (lines 55-56)', () => {
  it('moves to a later round when more than 1/3 of the stake is there', () => {
    const d = new Driver(me, set);
    d.start();
    d.vote(vote(others[0], 'prevote', 1n, 5));
    expect(d.engine.state()?.round).toBe(0);
    d.vote(vote(others[1], 'precommit', 1n, 5));
    expect(d.engine.state()?.round).toBe(5);
  });

  it('counts validators far beyond the vote window towards skipping, without storing their votes', () => {
    const d = new Driver(me, set, { roundWindow: 2 });
    d.start();
    d.vote(vote(others[0], 'prevote', 1n, 40));
    d.vote(vote(others[1], 'prevote', 1n, 41));
    expect(d.engine.state()?.round).toBe(40);
  });
});

describe('bad input is dropped and reported', () => {
  const reasons = (effects: Effect[]) => ofType(effects, 'misbehaviour').map((m) => m.reason);

  it('reports an invalid signature, a vote signed for another chain and a proposal from a non-proposer', () => {
    const d = new Driver(me, set);
    d.start();
    const bad = { ...vote(others[0], 'prevote', 1n, 0), signature: new Uint8Array(64).fill(1) };
    expect(reasons(d.vote(bad))).toEqual(['invalid-signature']);
    expect(reasons(d.vote(vote(others[0], 'prevote', 1n, 0, undefined, 'other-chain')))).toEqual(['invalid-signature']);
    const notProposer = vals.find((v) => v !== p0)!;
    expect(reasons(d.propose(proposal(notProposer, 1n, 0, B.blockId), B.bytes))).toEqual(['invalid-signature']);
    expect(d.engine.state()?.step).toBe('propose');
  });

  it('reports malformed, oversized, mismatched and unknown-validator messages', () => {
    const d = new Driver(me, set, { maxBlockBytes: 1000 });
    d.start();
    expect(reasons(d.vote({ ...vote(others[0], 'prevote', 1n, 0), signature: new Uint8Array(10) }))).toEqual(['malformed']);
    expect(reasons(d.vote({ ...vote(others[0], 'prevote', 1n, 0), type: 7 as SignedMsgType }))).toEqual(['malformed']);
    expect(reasons(d.propose(proposal(p0, 1n, 0, B.blockId, 0), B.bytes))).toEqual(['malformed']); // POL round not below round
    const big = block('x'.repeat(2000));
    expect(reasons(d.propose(proposal(p0, 1n, 0, big.blockId), big.bytes))).toEqual(['oversized']);
    expect(reasons(d.propose(proposal(p0, 1n, 0, B.blockId), C.bytes))).toEqual(['block-mismatch']);
    expect(reasons(d.vote({ ...vote(others[0], 'prevote', 1n, 0), validatorIndex: 9 }))).toEqual(['unknown-validator']);
  });

  it('keeps nothing from far-future floods, asks the peer for the block it is missing and reports the flood once', () => {
    const d = new Driver(me, set, { futureMessagesPerPeer: 20 });
    d.start();
    const effects: Effect[] = [];
    for (let i = 0; i < 200; i++) effects.push(...d.vote(vote(others[0], 'prevote', 1000n + BigInt(i), i % 7), 'flooder'));
    expect(reasons(effects)).toEqual(['future-flood']);
    expect(ofType(effects, 'requestCommit')[0]).toMatchObject({ height: 1n, peer: 'flooder' });
    expect(ofType(effects, 'requestCommit').length).toBeLessThan(20);
    expect(d.engine.state()).toMatchObject({ height: 1n, round: 0, step: 'propose' });
    // Still live: the height proceeds normally afterwards.
    d.propose(proposal(p0, 1n, 0, B.blockId), B.bytes);
    for (const v of others) d.vote(vote(v, 'prevote', 1n, 0, B.blockId));
    const done: Effect[] = [];
    for (const v of others) done.push(...d.vote(vote(v, 'precommit', 1n, 0, B.blockId)));
    expect(ofType(done, 'commit')).toHaveLength(1);
  });

  it('ignores exact duplicates without re-verifying and late votes of past heights without reporting', () => {
    const d = new Driver(me, set);
    d.start(2n);
    const v = vote(others[0], 'prevote', 2n, 0);
    d.vote(v);
    expect(d.vote(v)).toEqual([]);
    expect(d.vote(vote(others[1], 'precommit', 1n, 0, B.blockId))).toEqual([]);
  });
});

describe('evidence', () => {
  it('turns two different votes of one validator into DuplicateVoteEvidence that verifies, once', () => {
    const d = new Driver(me, set);
    d.start();
    d.vote(vote(others[0], 'prevote', 1n, 0, B.blockId));
    const eff = d.vote(vote(others[0], 'prevote', 1n, 0, C.blockId));
    const [ev] = ofType(eff, 'evidence');
    expect(() => verifyDuplicateVoteEvidence(ev.evidence, { chainId: CHAIN, validators: set, verify })).not.toThrow();
    expect(ofType(d.vote(vote(others[0], 'prevote', 1n, 0)), 'evidence')).toHaveLength(0);
  });
});

describe('catching up from a peer commit', () => {
  function decidedCommit() {
    const d = new Driver(me, set);
    d.start();
    d.propose(proposal(p0, 1n, 0, B.blockId), B.bytes);
    for (const v of others) d.vote(vote(v, 'prevote', 1n, 0, B.blockId));
    const eff: Effect[] = [];
    for (const v of others) eff.push(...d.vote(vote(v, 'precommit', 1n, 0, B.blockId)));
    return ofType(eff, 'commit')[0].commit;
  }

  it('decides from a verified commit without the proposal and skips the commit wait', () => {
    const commit = decidedCommit();
    const d = new Driver(vals.find((v) => v !== me)!, set);
    d.start();
    const eff = d.feed({ type: 'decided', now: T0, from: 'peer', block: B.bytes, commit });
    expect(ofType(eff, 'commit')).toHaveLength(1);
    d.feed({ type: 'start', now: T0, height: 2n, validators: set });
    expect(d.engine.state()?.height).toBe(2n);
  });

  it('reports a forged commit and stays put', () => {
    const commit = decidedCommit();
    commit.signatures[commit.signatures.findIndex((s) => s.signature.length)] = { ...commit.signatures[0], signature: new Uint8Array(64).fill(9) };
    const d = new Driver(me, set);
    d.start();
    const eff = d.feed({ type: 'decided', now: T0, from: 'liar', block: B.bytes, commit });
    expect(ofType(eff, 'misbehaviour').map((m) => [m.peer, m.reason])).toEqual([['liar', 'invalid-commit']]);
    expect(d.engine.state()?.decided).toBeUndefined();
  });
});

describe('WAL replay', () => {
  it('rebuilds the same round state, lock included, and re-issues what was outstanding', () => {
    const d = new Driver(me, set);
    d.start();
    d.propose(proposal(p0, 1n, 0, B.blockId), B.bytes);
    for (const v of others) d.vote(vote(v, 'prevote', 1n, 0, B.blockId));
    // The log ends with a sign request whose answer never came back (crash before the WAL write).
    const lastSigned = d.log.map((e) => e.type).lastIndexOf('signedVote');
    const log: EngineEvent[] = d.log.filter((_, i) => i !== lastSigned);
    const fresh = createEngine({ chainId: CHAIN, pubKey: me.key.pubKey, verify });
    for (const e of log) fresh.handle(e);
    expect(fresh.state()).toMatchObject({ lockedRound: 0, validRound: 0, step: 'precommit' });
    const resumed = fresh.resume(T0 + 5);
    expect(ofType(resumed, 'signVote').map((s) => s.vote.type)).toEqual([SignedMsgType.SIGNED_MSG_TYPE_PRECOMMIT]);
    expect(ofType(resumed, 'broadcast').length).toBeGreaterThan(0); // our prevote goes out again
  });

  it('the gossip query lists our own messages of the round and changes nothing', () => {
    const d = new Driver(me, set);
    d.start();
    d.timeout('propose', 0);
    const before = d.engine.state();
    const msgs = d.engine.gossip();
    expect(msgs.map((m) => m.type)).toEqual(['vote']);
    expect(d.engine.state()).toEqual(before);
  });
});
