/**
 * Our own messages: asking the host to sign what the rules decided (the "broadcast" of
 * the paper's lines 19, 24/26, 30/32, 40, 45, 59, 63), and taking the signed messages
 * back, which is when they are counted and sent. The signer (privval) refuses anything
 * that would double-sign; our own signed vote is also the durable record of what we
 * did, so replaying it restores our step and lock.
 */
import { SignedMsgType, type Proposal, type Vote } from 'cosmjs-types/tendermint/types/types';
import { timestampFromMs } from '../encoding/time.js';
import { bytesEqual } from '../validators.js';
import type { TendermintEngine } from './engine.js';
import type { HeightState } from './height.js';
import { kindOf, PRECOMMIT, PREVOTE } from './heightvotes.js';
import { blockKey, NIL_KEY, partSetMatches, ZERO_BLOCK_ID } from './ids.js';
import { acceptProposal } from './intake.js';
import { belongsInCommit, emitCommitUpdate } from './late.js';
import { proposalBytes, voteBytes } from './signbytes.js';
import type { ConsensusMessage, ProposalBuiltEvent, SignedProposalEvent, SignedVoteEvent, SignFailedEvent } from './types.js';
import { EngineError } from './types.js';

const EMPTY = new Uint8Array(0);

/** CometBFT voteTime: now, but after the block's own time. */
function voteTime(c: TendermintEngine, hs: HeightState, key: string): number {
  const t = key === NIL_KEY ? undefined : hs.blocks.get(key)?.timeMs;
  return t !== undefined && t + 1 > c.now ? t + 1 : c.now;
}

export function requestVote(c: TendermintEngine, type: SignedMsgType, key: string): void {
  const hs = c.hs!;
  if (hs.self < 0) return;
  const vote: Vote = {
    type,
    height: hs.height,
    round: hs.round,
    blockId: key === NIL_KEY ? ZERO_BLOCK_ID : hs.blocks.get(key)!.blockId,
    timestamp: timestampFromMs(voteTime(c, hs, key)),
    validatorAddress: hs.validators.validators[hs.self].address,
    validatorIndex: hs.self,
    signature: EMPTY,
    extension: EMPTY,
    extensionSignature: EMPTY,
  };
  hs.pendingSign.set(`${hs.round}/${kindOf(type)}`, { kind: 'vote', vote });
  c.emit({ type: 'signVote', vote });
}

/** Line 19: propose `key` (a new block, or our valid value with its round as POL round). */
export function proposeBlock(c: TendermintEngine, hs: HeightState, round: number, key: string, polRound: number): void {
  const signKey = `${round}/proposal`;
  if (hs.pendingSign.has(signKey) || hs.proposals.has(round)) return;
  const proposal: Proposal = {
    type: SignedMsgType.SIGNED_MSG_TYPE_PROPOSAL,
    height: hs.height,
    round,
    polRound,
    blockId: hs.blocks.get(key)!.blockId,
    timestamp: timestampFromMs(c.now),
    signature: EMPTY,
  };
  hs.pendingSign.set(signKey, { kind: 'proposal', proposal });
  c.emit({ type: 'signProposal', proposal });
}

/** getValue() answered (line 18). Our own block is valid by construction (CometBFT skips ProcessProposal for it too). */
export function onProposalBuilt(c: TendermintEngine, e: ProposalBuiltEvent): void {
  const hs = c.hs;
  if (!hs || e.height !== hs.height || hs.decision || !hs.buildRequested.has(e.round) || hs.ownBlock.has(e.round)) return;
  if (e.block.length > c.cfg.maxBlockBytes) throw new EngineError(`built block of ${e.block.length} bytes exceeds maxBlockBytes ${c.cfg.maxBlockBytes}`);
  if (!partSetMatches(e.block, e.blockId)) throw new EngineError('built block does not match its block id part-set header');
  const key = blockKey(e.blockId);
  if (key === NIL_KEY) throw new EngineError('built block has a nil block id');
  hs.ownBlock.set(e.round, key);
  const known = hs.blocks.get(key);
  if (!known || known.validity === 'pending') hs.blocks.set(key, { blockId: e.blockId, bytes: e.block, validity: 'valid', timeMs: e.timeMs });
  if (e.round === hs.round && hs.step === 'propose') proposeBlock(c, hs, e.round, key, -1);
}

export function onSignedProposal(c: TendermintEngine, e: SignedProposalEvent): void {
  const hs = c.hs;
  const p = e.proposal;
  if (!hs || p.height !== hs.height || hs.decision || hs.proposals.has(p.round) || !c.isOwnRound(hs, p.round)) return;
  hs.pendingSign.delete(`${p.round}/proposal`);
  const key = blockKey(p.blockId);
  const block = hs.blocks.get(key);
  if (!block) throw new EngineError(`signed proposal for round ${p.round} names a block this engine never built`);
  if (!c.init.verify(c.init.pubKey!, proposalBytes(c.init.chainId, p), p.signature)) throw new EngineError('the signer returned an invalid proposal signature');
  acceptProposal(hs, p);
  c.emit({ type: 'broadcast', message: { type: 'proposal', proposal: p, block: block.bytes } });
  // Proof of lock travels with the proposal, so peers that lost those prevotes can still accept it (line 28).
  if (p.polRound >= 0) for (const v of hs.votes.peek(PREVOTE, p.polRound)?.votesFor(key) ?? []) c.emit({ type: 'broadcast', message: { type: 'vote', vote: v } });
  c.rules();
}

export function onSignedVote(c: TendermintEngine, e: SignedVoteEvent): void {
  const hs = c.hs;
  const v = e.vote;
  if (!hs || v.height !== hs.height || hs.self < 0) return;
  if (v.validatorIndex !== hs.self || !bytesEqual(v.validatorAddress, hs.validators.validators[hs.self].address)) throw new EngineError('signed vote is not from our validator');
  if (!c.init.verify(c.init.pubKey!, voteBytes(c.init.chainId, v), v.signature)) throw new EngineError('the signer returned an invalid vote signature');
  hs.pendingSign.delete(`${v.round}/${kindOf(v.type)}`);
  const res = hs.votes.set(v.type as typeof PREVOTE, v.round).add(hs.self, v);
  if (res.kind === 'conflict') throw new EngineError(`the signer signed two different ${kindOf(v.type)}s at height ${v.height} round ${v.round}`);
  if (res.kind === 'duplicate') return;
  hs.votes.noteRound(hs.self, v.round);
  // Sent even after we decided: peers may need our precommit for their 2/3.
  c.emit({ type: 'broadcast', message: { type: 'vote', vote: v } });
  if (hs.decision) {
    // Decided on others' precommits before ours was signed: the commit should carry ours too.
    if (c.lastDecided && belongsInCommit(c.lastDecided, v)) emitCommitUpdate(c, c.lastDecided);
    return;
  }
  // Our own vote is the record of what we did: after a replay it restores step and lock.
  if (v.round === hs.round) {
    if (v.type === PREVOTE && hs.step === 'propose') hs.step = 'prevote';
    if (v.type === PRECOMMIT && hs.step !== 'precommit') hs.step = 'precommit';
  }
  const key = blockKey(v.blockId);
  if (v.type === PRECOMMIT && key !== NIL_KEY && v.round > hs.lockedRound && hs.blocks.has(key)) {
    hs.lockedKey = key;
    hs.lockedRound = v.round;
  }
  c.rules();
}

export function onSignFailed(c: TendermintEngine, e: SignFailedEvent): void {
  c.hs?.pendingSign.delete(`${e.round}/${e.kind}`);
}

/** Our messages of the current (or decided) round, with the proof of lock of our proposal. */
export function ownMessages(c: TendermintEngine, hs: HeightState): ConsensusMessage[] {
  const out: ConsensusMessage[] = [];
  const round = hs.decision ? hs.decision.round : hs.round;
  const p = hs.proposals.get(round);
  if (p && c.isOwnRound(hs, round)) {
    const key = blockKey(p.blockId);
    const b = hs.blocks.get(key);
    if (b) out.push({ type: 'proposal', proposal: p, block: b.bytes });
    if (p.polRound >= 0) for (const vote of hs.votes.peek(PREVOTE, p.polRound)?.votesFor(key) ?? []) out.push({ type: 'vote', vote });
  }
  if (hs.self < 0) return out;
  for (const type of [PREVOTE, PRECOMMIT] as const) {
    const v = hs.votes.peek(type, round)?.get(hs.self);
    if (v) out.push({ type: 'vote', vote: v });
  }
  return out;
}
