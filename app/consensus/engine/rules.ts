/**
 * The "upon" rules of Algorithm 1 ("The latest gossip on BFT consensus", Buchman, Kwon,
 * Milosevic 2018), evaluated after every input until none fires. Each rule cites its
 * line numbers. valid(v) is the host's answer to `validateBlock`; a rule that needs it
 * waits while the answer is pending.
 *
 * One deliberate relaxation: rules 36 and 49 need the block v behind id(v), which the
 * paper takes from the round's proposal. Here any copy of the block with that id
 * counts (a proposal of another round, or a peer's commit): the id is a hash of v, so
 * it is the same v, and a node that missed one proposal can still lock and decide.
 */
import { SignedMsgType } from 'cosmjs-types/tendermint/types/types';
import type { HeightState, KnownBlock } from './height.js';
import { blockKey, NIL_KEY } from './ids.js';
import type { Step } from './types.js';

const PREVOTE = SignedMsgType.SIGNED_MSG_TYPE_PREVOTE;
const PRECOMMIT = SignedMsgType.SIGNED_MSG_TYPE_PRECOMMIT;

/** What the rules may do; the engine implements it and turns it into effects. */
export interface RuleActions {
  startRound(round: number): void;
  prevote(key: string): void;
  precommit(key: string): void;
  scheduleTimeout(step: Step, round: number): void;
  decide(round: number, key: string): void;
  /** We hold 2f+1 precommits for a block we do not have: ask a peer for it. */
  needBlock(): void;
  halt(reason: string): void;
}

/** Apply rules until a fixpoint. Every rule that fires changes state its own guard checks, so this ends. */
export function applyRules(hs: HeightState, act: RuleActions): void {
  while (!hs.decision && fireOne(hs, act));
}

function fireOne(hs: HeightState, act: RuleActions): boolean {
  return decideRule(hs, act) || skipRule(hs, act) || proposeStepRule(hs, act) || prevoteStepRules(hs, act) || precommitTimeoutRule(hs, act);
}

/** Lines 49-54: 2f+1 precommits for id(v) in any round, v known and valid → decide. */
function decideRule(hs: HeightState, act: RuleActions): boolean {
  for (const set of hs.votes.precommitSets()) {
    const r = set.round;
    const maj = set.twoThirdsMajority();
    if (!maj || maj.key === NIL_KEY) continue;
    const b = hs.blocks.get(maj.key);
    if (!b) {
      act.needBlock();
      continue;
    }
    if (b.validity === 'valid') {
      act.decide(r, maj.key);
      return true;
    }
    if (b.validity === 'invalid') {
      act.halt(`more than 2/3 precommitted block ${maj.key.slice(0, 16)} at height ${hs.height} round ${r}, which this node's app rejects`);
      return true;
    }
  }
  return false;
}

/** Lines 55-56: f+1 (by stake) have moved past our round → StartRound(that round). */
function skipRule(hs: HeightState, act: RuleActions): boolean {
  const target = hs.votes.skipTarget(hs.round);
  if (target === undefined) return false;
  act.startRound(target);
  return true;
}

function proposalBlock(hs: HeightState, round: number): { key: string; block: KnownBlock | undefined; polRound: number } | undefined {
  const p = hs.proposals.get(round);
  if (!p) return undefined;
  const key = blockKey(p.blockId);
  return { key, block: hs.blocks.get(key), polRound: p.polRound };
}

/** Lines 22-27 (no proof of lock) and 28-33 (proof of lock from round vr < round). */
function proposeStepRule(hs: HeightState, act: RuleActions): boolean {
  if (hs.step !== 'propose') return false;
  const pb = proposalBlock(hs, hs.round);
  if (!pb || !pb.block || pb.block.validity === 'pending') return false;
  const valid = pb.block.validity === 'valid';
  if (pb.polRound === -1) {
    act.prevote(valid && (hs.lockedRound === -1 || hs.lockedKey === pb.key) ? pb.key : NIL_KEY);
    return true;
  }
  const vr = pb.polRound;
  if (vr >= hs.round || !hs.votes.peek(PREVOTE, vr)?.hasTwoThirdsFor(pb.key)) return false;
  act.prevote(valid && (hs.lockedRound <= vr || hs.lockedKey === pb.key) ? pb.key : NIL_KEY);
  return true;
}

/** Lines 34-35 (prevote timeout), 36-43 (lock / valid value), 44-46 (2f+1 nil prevotes). */
function prevoteStepRules(hs: HeightState, act: RuleActions): boolean {
  const r = hs.round;
  const prevotes = hs.votes.peek(PREVOTE, r);
  if (!prevotes) return false;
  if (hs.step === 'prevote' && !hs.prevoteTimeoutSet.has(r) && prevotes.hasTwoThirdsAny()) {
    hs.prevoteTimeoutSet.add(r);
    act.scheduleTimeout('prevote', r);
    return true;
  }
  const maj = prevotes.twoThirdsMajority();
  if (!maj) return false;
  if (maj.key !== NIL_KEY && hs.step !== 'propose' && !hs.line36Done.has(r) && hs.blocks.get(maj.key)?.validity === 'valid') {
    hs.line36Done.add(r);
    if (hs.step === 'prevote') {
      hs.lockedKey = maj.key;
      hs.lockedRound = r;
      act.precommit(maj.key);
    }
    hs.validKey = maj.key;
    hs.validRound = r;
    return true;
  }
  if (maj.key === NIL_KEY && hs.step === 'prevote') {
    act.precommit(NIL_KEY);
    return true;
  }
  return false;
}

/** Lines 47-48: 2f+1 precommits of any kind in our round → schedule the precommit timeout. */
function precommitTimeoutRule(hs: HeightState, act: RuleActions): boolean {
  const r = hs.round;
  if (hs.precommitTimeoutSet.has(r) || !hs.votes.peek(PRECOMMIT, r)?.hasTwoThirdsAny()) return false;
  hs.precommitTimeoutSet.add(r);
  act.scheduleTimeout('precommit', r);
  return true;
}
