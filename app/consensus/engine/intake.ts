/**
 * Messages from peers: shape checks first (free), then height routing (another height
 * costs nothing and keeps nothing beyond the per-peer quota), then the signature (the
 * only expensive step, done once per distinct message), then the vote sets. Every drop
 * that only a faulty or malicious peer causes is reported as misbehaviour.
 */
import type { BlockID, Proposal, Vote } from 'cosmjs-types/tendermint/types/types';
import { timestampFromMs } from '../encoding/time.js';
import { bytesEqual } from '../validators.js';
import { verifiedCommitVotes } from './commit.js';
import type { TendermintEngine } from './engine.js';
import { makeDuplicateVoteEvidence } from './evidence.js';
import { indexOfAddress, proposerOf, type HeightState } from './height.js';
import { PRECOMMIT, PREVOTE } from './heightvotes.js';
import { blockKey, partSetMatches } from './ids.js';
import { onLatePrecommit } from './late.js';
import { proposalBytes, voteBytes } from './signbytes.js';
import type { BlockValidatedEvent, DecidedEvent, ProposalEvent, VoteEvent } from './types.js';
import { proposalProblem, voteProblem } from './wellformed.js';

/** Height routing shared by proposals and votes. Returns true when the message is for our height. */
function routeHeight(c: TendermintEngine, hs: HeightState, height: bigint, msg: ProposalEvent | VoteEvent): boolean {
  if (height === hs.height) return true;
  if (height < hs.height) return false; // late, e.g. precommits for the previous height
  if (height === hs.height + 1n) {
    if (!c.inbox.keep(msg, height) && c.inbox.countFar(msg.from, height)) c.misbehaviour(msg.from, 'future-flood', `too many messages for height ${height}`);
  } else if (c.inbox.countFar(msg.from, height)) {
    c.misbehaviour(msg.from, 'future-flood', `more than ${c.cfg.futureMessagesPerPeer} messages from heights beyond ${hs.height + 1n}`);
  }
  c.catchUp(msg.from);
  return false;
}

/**
 * A proposal vouches for its block: votes for it count even from validators that also
 * voted otherwise (see voteset.ts), in its round and, for a re-proposal, in its POL round.
 */
export function acceptProposal(hs: HeightState, p: Proposal): void {
  hs.proposals.set(p.round, p);
  const key = blockKey(p.blockId);
  hs.votes.set(PREVOTE, p.round).track(key);
  hs.votes.set(PRECOMMIT, p.round).track(key);
  if (p.polRound >= 0) hs.votes.set(PREVOTE, p.polRound).track(key);
}

function learnBlock(c: TendermintEngine, hs: HeightState, blockId: BlockID, bytes: Uint8Array): void {
  const key = blockKey(blockId);
  if (hs.blocks.has(key)) return;
  hs.blocks.set(key, { blockId, bytes, validity: 'pending' });
  c.emit({ type: 'validateBlock', height: hs.height, blockId, block: bytes });
}

export function onProposal(c: TendermintEngine, e: ProposalEvent): void {
  const p = e.proposal;
  const problem = proposalProblem(p);
  if (problem) return c.misbehaviour(e.from, 'malformed', problem);
  if (e.block.length > c.cfg.maxBlockBytes) return c.misbehaviour(e.from, 'oversized', `block of ${e.block.length} bytes exceeds ${c.cfg.maxBlockBytes}`);
  const hs = c.hs;
  if (!hs || !routeHeight(c, hs, p.height, e) || hs.decision) return;
  if (p.round > hs.round + c.cfg.roundWindow || hs.proposals.has(p.round)) return; // first proposal per round wins
  const proposer = proposerOf(hs, p.round);
  const pub = proposer.pubKey.ed25519;
  if (!pub || !c.init.verify(pub, proposalBytes(c.init.chainId, p), p.signature)) {
    return c.misbehaviour(e.from, 'invalid-signature', `proposal for round ${p.round} is not signed by its proposer (or is for another chain)`);
  }
  if (!partSetMatches(e.block, p.blockId)) return c.misbehaviour(e.from, 'block-mismatch', 'block does not match the proposal part-set header');
  acceptProposal(hs, p);
  hs.votes.noteRound(indexOfAddress(hs, proposer.address), p.round);
  c.lastPeer = e.from;
  learnBlock(c, hs, p.blockId, e.block);
  c.rules();
}

/** Count a verified vote; a second, different vote from the same validator becomes evidence (once). */
function addVote(c: TendermintEngine, hs: HeightState, idx: number, v: Vote): void {
  const res = hs.votes.set(v.type as typeof PREVOTE, v.round).add(idx, v);
  if (res.kind !== 'conflict') return;
  const tag = `${idx}/${v.round}/${v.type}`;
  if (c.reportedEvidence.has(tag)) return;
  c.reportedEvidence.add(tag);
  c.emit({ type: 'evidence', evidence: makeDuplicateVoteEvidence(res.existing, v, timestampFromMs(hs.lastBlockTimeMs), hs.validators) });
}

export function onVote(c: TendermintEngine, e: VoteEvent): void {
  const v = e.vote;
  const problem = voteProblem(v);
  if (problem) return c.misbehaviour(e.from, 'malformed', problem);
  const hs = c.hs;
  if (!hs) return;
  if (c.lastDecided?.height === v.height) return onLatePrecommit(c, c.lastDecided, e.from, v);
  if (!routeHeight(c, hs, v.height, e) || hs.decision) return;
  const idx = v.validatorIndex;
  const val = hs.validators.validators[idx];
  if (!val || !bytesEqual(val.address, v.validatorAddress)) return c.misbehaviour(e.from, 'unknown-validator', `no validator #${idx} with that address at height ${hs.height}`);
  const beyondWindow = v.round > hs.round + c.cfg.roundWindow;
  if (beyondWindow ? hs.votes.lastRoundOf(idx) >= v.round : hs.votes.set(v.type as typeof PREVOTE, v.round).has(idx, v)) return; // nothing new
  const pub = val.pubKey.ed25519;
  if (!pub || !c.init.verify(pub, voteBytes(c.init.chainId, v), v.signature)) {
    return c.misbehaviour(e.from, 'invalid-signature', `vote from validator #${idx} has an invalid signature (or is for another chain)`);
  }
  c.lastPeer = e.from;
  if (!beyondWindow) addVote(c, hs, idx, v);
  hs.votes.noteRound(idx, v.round); // a vote far ahead only counts towards round skipping
  c.rules();
}

export function onBlockValidated(c: TendermintEngine, e: BlockValidatedEvent): void {
  const hs = c.hs;
  if (!hs || e.height !== hs.height) return;
  const b = hs.blocks.get(blockKey(e.blockId));
  if (!b || b.validity !== 'pending') return;
  b.validity = e.valid ? 'valid' : 'invalid';
  b.timeMs = e.timeMs;
  c.rules();
}

/** A peer's decided block with its commit: verify the commit, take its precommits as votes, learn the block. */
export function onDecided(c: TendermintEngine, e: DecidedEvent): void {
  const hs = c.hs;
  const cm = e.commit;
  if (!hs || hs.decision || cm.height !== hs.height) return;
  if (e.block.length > c.cfg.maxBlockBytes) return c.misbehaviour(e.from, 'oversized', `block of ${e.block.length} bytes exceeds ${c.cfg.maxBlockBytes}`);
  const res = verifiedCommitVotes(c.init.chainId, hs.validators, hs.height, cm, c.init.verify);
  if ('problem' in res) return c.misbehaviour(e.from, 'invalid-commit', res.problem);
  if (!partSetMatches(e.block, cm.blockId)) return c.misbehaviour(e.from, 'block-mismatch', 'block does not match the commit part-set header');
  hs.caughtUp = true;
  hs.votes.set(PRECOMMIT, cm.round).track(blockKey(cm.blockId));
  for (const v of res.votes) {
    addVote(c, hs, v.validatorIndex, v);
    hs.votes.noteRound(v.validatorIndex, v.round);
  }
  learnBlock(c, hs, cm.blockId, e.block);
  c.rules();
}
