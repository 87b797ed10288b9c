/**
 * The sans-IO Tendermint engine: `handle(event)` returns the effects the host must carry
 * out, in order. No await, clock, randomness or I/O: given the same events (each with
 * its `now`), it returns the same effects, which is what makes WAL replay and the
 * simulator work. The protocol rules are in rules.ts (Algorithm 1 of the paper); this
 * file checks inputs, keeps the per-height state and turns decisions into effects.
 *
 * Host contract (see README.md): write every event to the WAL before `handle`; make the
 * WAL durable before carrying out `signVote`/`signProposal`; carry out effects in order.
 */
import type { BlockID, Proposal, Vote } from 'cosmjs-types/tendermint/types/types';
import { SignedMsgType } from 'cosmjs-types/tendermint/types/types';
import { makePartSet } from '../encoding/block.js';
import { timestampFromMs } from '../encoding/time.js';
import { addressFromEd25519, bytesEqual } from '../validators.js';
import { commitFromVotes, verifiedCommitVotes } from './commit.js';
import { engineConfig, timeoutFor } from './config.js';
import { makeDuplicateVoteEvidence } from './evidence.js';
import { indexOfAddress, newHeightState, proposerOf, type HeightState } from './height.js';
import { blockKey, NIL_KEY, toHex, ZERO_BLOCK_ID } from './ids.js';
import { proposalBytes, voteBytes } from './signbytes.js';
import { FutureInbox } from './inbox.js';
import { applyRules, type RuleActions } from './rules.js';
import type {
  BlockValidatedEvent,
  ConsensusMessage,
  DecidedEvent,
  Effect,
  EngineConfig,
  EngineEvent,
  MisbehaviourReason,
  PeerId,
  ProposalBuiltEvent,
  ProposalEvent,
  RoundStateView,
  SignedProposalEvent,
  SignedVoteEvent,
  SignFailedEvent,
  StartEvent,
  Step,
  TimeoutEvent,
  VerifyFn,
  VoteEvent,
} from './types.js';
import { EngineError } from './types.js';
import { proposalProblem, voteProblem } from './wellformed.js';

export interface EngineInit {
  chainId: string;
  /** Our ed25519 public key; without one the engine follows consensus but never votes. */
  pubKey?: Uint8Array;
  verify: VerifyFn;
  config?: Partial<EngineConfig>;
}

export interface Engine {
  handle(event: EngineEvent): Effect[];
  /** After replaying the WAL through `handle` (effects discarded): what is still outstanding. */
  resume(now: number): Effect[];
  /**
   * Our own messages of the current round (proposal, prevote, precommit). The paper
   * assumes every message is eventually delivered; a peer layer keeps that promise by
   * re-sending these while the round makes no progress (e.g. after a partition heals,
   * when the votes sent during it were lost). A pure query: no state changes.
   */
  gossip(): ConsensusMessage[];
  state(): RoundStateView | undefined;
}

const PREVOTE = SignedMsgType.SIGNED_MSG_TYPE_PREVOTE;
const PRECOMMIT = SignedMsgType.SIGNED_MSG_TYPE_PRECOMMIT;
const EMPTY = new Uint8Array(0);
/** Messages from peers ahead of us after which an unanswered catch-up request is retried. */
const CATCHUP_RETRY_MESSAGES = 16;

const kindOf = (type: SignedMsgType) => (type === PREVOTE ? 'prevote' : 'precommit');

function partSetMatches(block: Uint8Array, id: BlockID): boolean {
  const h = makePartSet(block).header;
  return h.total === id.partSetHeader.total && bytesEqual(h.hash, id.partSetHeader.hash);
}

export function createEngine(init: EngineInit): Engine {
  return new TendermintEngine(init);
}

class TendermintEngine implements Engine, RuleActions {
  private readonly cfg: EngineConfig;
  private readonly inbox: FutureInbox;
  private hs: HeightState | undefined;
  private pendingStart: StartEvent | undefined;
  private halted = false;
  private out: Effect[] = [];
  private now = 0;
  private lastPeer: PeerId | undefined;
  private reportedEvidence = new Set<string>();

  private readonly own: { pubKey: Uint8Array; addressHex: string } | undefined;

  constructor(private readonly init: EngineInit) {
    this.cfg = engineConfig(init.config);
    this.own = init.pubKey ? { pubKey: init.pubKey, addressHex: toHex(addressFromEd25519(init.pubKey)) } : undefined;
    this.inbox = new FutureInbox(this.cfg);
  }

  handle(event: EngineEvent): Effect[] {
    this.out = [];
    if (this.halted) return this.out;
    if (!Number.isSafeInteger(event.now)) throw new EngineError(`event time must be integer milliseconds, got ${event.now}`);
    this.now = event.now;
    switch (event.type) {
      case 'start':
        this.onStart(event);
        break;
      case 'proposal':
        this.onProposal(event);
        break;
      case 'vote':
        this.onVote(event);
        break;
      case 'timeout':
        this.onTimeout(event);
        break;
      case 'proposalBuilt':
        this.onProposalBuilt(event);
        break;
      case 'blockValidated':
        this.onBlockValidated(event);
        break;
      case 'signedVote':
        this.onSignedVote(event);
        break;
      case 'signedProposal':
        this.onSignedProposal(event);
        break;
      case 'signFailed':
        this.onSignFailed(event);
        break;
      case 'decided':
        this.onDecided(event);
        break;
    }
    return this.out;
  }

  resume(now: number): Effect[] {
    this.out = [];
    this.now = now;
    const hs = this.hs;
    if (!hs || this.halted) return this.out;
    if (hs.decision) {
      this.emitCommit(hs);
      return this.out;
    }
    for (const p of hs.pendingSign.values()) this.out.push(p.kind === 'vote' ? { type: 'signVote', vote: p.vote } : { type: 'signProposal', proposal: p.proposal });
    if (hs.buildRequested.has(hs.round) && !hs.ownBlock.has(hs.round)) this.out.push({ type: 'buildProposal', height: hs.height, round: hs.round });
    for (const b of hs.blocks.values()) if (b.validity === 'pending') this.out.push({ type: 'validateBlock', height: hs.height, blockId: b.blockId, block: b.bytes });
    this.scheduleTimeout('propose', hs.round);
    if (hs.prevoteTimeoutSet.has(hs.round)) this.scheduleTimeout('prevote', hs.round);
    if (hs.precommitTimeoutSet.has(hs.round)) this.scheduleTimeout('precommit', hs.round);
    for (const message of this.ownMessages(hs)) this.out.push({ type: 'broadcast', message });
    return this.out;
  }

  gossip(): ConsensusMessage[] {
    return this.hs && !this.halted ? this.ownMessages(this.hs) : [];
  }

  state(): RoundStateView | undefined {
    const hs = this.hs;
    if (!hs) return undefined;
    const id = (key: string | undefined) => (key === undefined ? undefined : hs.blocks.get(key)?.blockId);
    return {
      height: hs.height,
      round: hs.round,
      step: hs.step,
      lockedRound: hs.lockedRound,
      lockedBlockId: id(hs.lockedKey),
      validRound: hs.validRound,
      validBlockId: id(hs.validKey),
      decided: hs.decision ? { round: hs.decision.round, blockId: hs.blocks.get(hs.decision.key)!.blockId } : undefined,
      validatorIndex: hs.self,
    };
  }

  // ---- heights and rounds ----

  private onStart(e: StartEvent): void {
    const hs = this.hs;
    if (hs && e.height <= hs.height) return; // a repeated start (WAL replay) or a stale one
    if (hs?.decision && e.height === hs.height + 1n && !hs.commitTimeoutFired) {
      this.pendingStart = e; // enter after timeout_commit, to gather more precommits
      return;
    }
    this.enterHeight(e);
  }

  private enterHeight(e: StartEvent): void {
    this.pendingStart = undefined;
    const keptForThisHeight = this.inbox.drain();
    this.hs = newHeightState(e.height, e.validators, this.own, e.lastBlockTimeMs ?? 0);
    this.reportedEvidence = new Set();
    this.lastPeer = undefined;
    this.startRound(0);
    for (const m of keptForThisHeight) {
      if (m.type === 'proposal') this.onProposal(m);
      else this.onVote(m);
    }
    // Still behind (catching up one height at a time): ask right away rather than wait for the next message.
    const ahead = this.inbox.peerAhead(e.height);
    if (ahead !== undefined) this.catchUp(ahead);
  }

  /** Lines 11-21. The propose timeout is scheduled for the proposer too (as CometBFT's enterPropose), so a host that never builds cannot stall the round. */
  startRound(round: number): void {
    const hs = this.hs!;
    hs.round = round;
    hs.step = 'propose';
    hs.catchupRequested = false;
    this.scheduleTimeout('propose', round);
    if (this.isOwnRound(hs, round)) {
      if (hs.validKey !== undefined) this.proposeBlock(hs, round, hs.validKey, hs.validRound);
      else if (!hs.buildRequested.has(round)) {
        hs.buildRequested.add(round);
        this.out.push({ type: 'buildProposal', height: hs.height, round });
      }
    }
  }

  private isOwnRound(hs: HeightState, round: number): boolean {
    return hs.self >= 0 && bytesEqual(proposerOf(hs, round).address, hs.validators.validators[hs.self].address);
  }

  private proposeBlock(hs: HeightState, round: number, key: string, polRound: number): void {
    const signKey = `${round}/proposal`;
    if (hs.pendingSign.has(signKey) || hs.proposals.has(round)) return;
    const proposal: Proposal = {
      type: SignedMsgType.SIGNED_MSG_TYPE_PROPOSAL,
      height: hs.height,
      round,
      polRound,
      blockId: hs.blocks.get(key)!.blockId,
      timestamp: timestampFromMs(this.now),
      signature: EMPTY,
    };
    hs.pendingSign.set(signKey, { kind: 'proposal', proposal });
    this.out.push({ type: 'signProposal', proposal });
  }

  private onTimeout(e: TimeoutEvent): void {
    const hs = this.hs;
    const t = e.timeout;
    if (!hs || t.height !== hs.height) return;
    hs.catchupRequested = false;
    if (t.step === 'commit') {
      if (!hs.decision) return;
      hs.commitTimeoutFired = true;
      if (this.pendingStart) this.enterHeight(this.pendingStart);
      return;
    }
    if (hs.decision || t.round !== hs.round) return;
    if (t.step === 'propose' && hs.step === 'propose') this.prevote(NIL_KEY); // lines 57-60
    else if (t.step === 'prevote' && hs.step === 'prevote') this.precommit(NIL_KEY); // lines 61-64
    else if (t.step === 'precommit') this.startRound(hs.round + 1); // lines 65-67
    this.rules();
  }

  // ---- RuleActions ----

  prevote(key: string): void {
    this.hs!.step = 'prevote';
    this.requestVote(PREVOTE, key);
  }

  precommit(key: string): void {
    this.hs!.step = 'precommit';
    this.requestVote(PRECOMMIT, key);
  }

  scheduleTimeout(step: Step, round: number): void {
    const hs = this.hs!;
    this.out.push({ type: 'schedule', timeout: { height: hs.height, round, step }, delayMs: timeoutFor(this.cfg, step, round) });
  }

  decide(round: number, key: string): void {
    const hs = this.hs!;
    hs.decision = { round, key };
    hs.step = 'commit';
    // timeout_commit gathers late precommits and paces blocks; a node catching up from peers' commits has no reason to wait.
    hs.commitTimeoutFired = hs.caughtUp;
    this.emitCommit(hs);
  }

  needBlock(): void {
    if (this.lastPeer !== undefined) this.catchUp(this.lastPeer);
  }

  halt(reason: string): void {
    this.halted = true;
    this.out.push({ type: 'halt', height: this.hs!.height, reason });
  }

  private emitCommit(hs: HeightState): void {
    const { round, key } = hs.decision!;
    const block = hs.blocks.get(key)!;
    const commit = commitFromVotes(hs.height, round, block.blockId, hs.votes.set(PRECOMMIT, round), hs.validators.validators.length);
    this.out.push({ type: 'commit', height: hs.height, round, blockId: block.blockId, block: block.bytes, commit });
    if (!hs.commitTimeoutFired) this.scheduleTimeout('commit', round);
  }

  private rules(): void {
    if (this.hs && !this.halted) applyRules(this.hs, this);
  }

  /** CometBFT voteTime: now, but after the block's own time. */
  private voteTime(hs: HeightState, key: string): number {
    const t = key === NIL_KEY ? undefined : hs.blocks.get(key)?.timeMs;
    return t !== undefined && t + 1 > this.now ? t + 1 : this.now;
  }

  private requestVote(type: SignedMsgType, key: string): void {
    const hs = this.hs!;
    if (hs.self < 0) return;
    const vote: Vote = {
      type,
      height: hs.height,
      round: hs.round,
      blockId: key === NIL_KEY ? ZERO_BLOCK_ID : hs.blocks.get(key)!.blockId,
      timestamp: timestampFromMs(this.voteTime(hs, key)),
      validatorAddress: hs.validators.validators[hs.self].address,
      validatorIndex: hs.self,
      signature: EMPTY,
      extension: EMPTY,
      extensionSignature: EMPTY,
    };
    hs.pendingSign.set(`${hs.round}/${kindOf(type)}`, { kind: 'vote', vote });
    this.out.push({ type: 'signVote', vote });
  }

  // ---- own messages back from the signer ----

  private onProposalBuilt(e: ProposalBuiltEvent): void {
    const hs = this.hs;
    if (!hs || e.height !== hs.height || hs.decision || !hs.buildRequested.has(e.round) || hs.ownBlock.has(e.round)) return;
    if (e.block.length > this.cfg.maxBlockBytes) throw new EngineError(`built block of ${e.block.length} bytes exceeds maxBlockBytes ${this.cfg.maxBlockBytes}`);
    if (!partSetMatches(e.block, e.blockId)) throw new EngineError('built block does not match its block id part-set header');
    const key = blockKey(e.blockId);
    if (key === NIL_KEY) throw new EngineError('built block has a nil block id');
    hs.ownBlock.set(e.round, key);
    const known = hs.blocks.get(key);
    if (!known || known.validity === 'pending') hs.blocks.set(key, { blockId: e.blockId, bytes: e.block, validity: 'valid', timeMs: e.timeMs });
    if (e.round === hs.round && hs.step === 'propose') this.proposeBlock(hs, e.round, key, -1);
  }

  private onSignedProposal(e: SignedProposalEvent): void {
    const hs = this.hs;
    const p = e.proposal;
    if (!hs || p.height !== hs.height || hs.decision || hs.proposals.has(p.round) || !this.isOwnRound(hs, p.round)) return;
    hs.pendingSign.delete(`${p.round}/proposal`);
    const key = blockKey(p.blockId);
    const block = hs.blocks.get(key);
    if (!block) throw new EngineError(`signed proposal for round ${p.round} names a block this engine never built`);
    if (!this.init.verify(this.init.pubKey!, proposalBytes(this.init.chainId, p), p.signature)) throw new EngineError('the signer returned an invalid proposal signature');
    this.acceptProposal(hs, p);
    this.out.push({ type: 'broadcast', message: { type: 'proposal', proposal: p, block: block.bytes } });
    // Proof of lock travels with the proposal, so peers that lost those prevotes can still accept it (line 28).
    if (p.polRound >= 0) for (const v of hs.votes.peek(PREVOTE, p.polRound)?.votesFor(key) ?? []) this.out.push({ type: 'broadcast', message: { type: 'vote', vote: v } });
    this.rules();
  }

  private onSignedVote(e: SignedVoteEvent): void {
    const hs = this.hs;
    const v = e.vote;
    if (!hs || v.height !== hs.height || hs.self < 0) return;
    if (v.validatorIndex !== hs.self || !bytesEqual(v.validatorAddress, hs.validators.validators[hs.self].address)) throw new EngineError('signed vote is not from our validator');
    if (!this.init.verify(this.init.pubKey!, voteBytes(this.init.chainId, v), v.signature)) throw new EngineError('the signer returned an invalid vote signature');
    hs.pendingSign.delete(`${v.round}/${kindOf(v.type)}`);
    const res = hs.votes.set(v.type as typeof PREVOTE, v.round).add(hs.self, v);
    if (res.kind === 'conflict') throw new EngineError(`the signer signed two different ${kindOf(v.type)}s at height ${v.height} round ${v.round}`);
    if (res.kind === 'duplicate') return;
    hs.votes.noteRound(hs.self, v.round);
    // Sent even after we decided: peers may need our precommit for their 2/3.
    this.out.push({ type: 'broadcast', message: { type: 'vote', vote: v } });
    if (hs.decision) return;
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
    this.rules();
  }

  private onSignFailed(e: SignFailedEvent): void {
    this.hs?.pendingSign.delete(`${e.round}/${e.kind}`);
  }

  // ---- messages from peers ----

  private misbehaviour(peer: PeerId, reason: MisbehaviourReason, detail: string): void {
    this.out.push({ type: 'misbehaviour', peer, reason, detail });
  }

  /** Height routing shared by proposals and votes. Returns true when the message is for our height. */
  private routeHeight(hs: HeightState, height: bigint, msg: ProposalEvent | VoteEvent): boolean {
    if (height === hs.height) return true;
    if (height < hs.height) return false; // late, e.g. precommits for the previous height
    if (height === hs.height + 1n) {
      if (!this.inbox.keep(msg, height) && this.inbox.countFar(msg.from, height)) this.misbehaviour(msg.from, 'future-flood', `too many messages for height ${height}`);
    } else if (this.inbox.countFar(msg.from, height)) {
      this.misbehaviour(msg.from, 'future-flood', `more than ${this.cfg.futureMessagesPerPeer} messages from heights beyond ${hs.height + 1n}`);
    }
    this.catchUp(msg.from);
    return false;
  }

  /**
   * A peer is ahead of us, or holds a block we lack: ask it for its decided block and
   * commit. One request is out at a time; it counts as lost (and we ask again, likely
   * another peer) after CATCHUP_RETRY_MESSAGES more messages from ahead, or a timeout.
   */
  private catchUp(peer: PeerId): void {
    const hs = this.hs!;
    if (hs.decision) return;
    if (hs.catchupRequested && --hs.catchupCooldown > 0) return;
    hs.catchupRequested = true;
    hs.catchupCooldown = CATCHUP_RETRY_MESSAGES;
    this.out.push({ type: 'requestCommit', height: hs.height, peer });
  }

  private onProposal(e: ProposalEvent): void {
    const p = e.proposal;
    const problem = proposalProblem(p);
    if (problem) return this.misbehaviour(e.from, 'malformed', problem);
    if (e.block.length > this.cfg.maxBlockBytes) return this.misbehaviour(e.from, 'oversized', `block of ${e.block.length} bytes exceeds ${this.cfg.maxBlockBytes}`);
    const hs = this.hs;
    if (!hs || !this.routeHeight(hs, p.height, e) || hs.decision) return;
    if (p.round > hs.round + this.cfg.roundWindow || hs.proposals.has(p.round)) return; // first proposal per round wins
    const proposer = proposerOf(hs, p.round);
    const pub = proposer.pubKey.ed25519;
    if (!pub || !this.init.verify(pub, proposalBytes(this.init.chainId, p), p.signature)) {
      return this.misbehaviour(e.from, 'invalid-signature', `proposal for round ${p.round} is not signed by its proposer (or is for another chain)`);
    }
    if (!partSetMatches(e.block, p.blockId)) return this.misbehaviour(e.from, 'block-mismatch', 'block does not match the proposal part-set header');
    this.acceptProposal(hs, p);
    hs.votes.noteRound(indexOfAddress(hs, proposer.address), p.round);
    this.lastPeer = e.from;
    this.learnBlock(hs, p.blockId, e.block);
    this.rules();
  }

  /**
   * A proposal vouches for its block: votes for it count even from validators that also
   * voted otherwise (see voteset.ts), in its round and, for a re-proposal, in its POL round.
   */
  private acceptProposal(hs: HeightState, p: Proposal): void {
    hs.proposals.set(p.round, p);
    const key = blockKey(p.blockId);
    hs.votes.set(PREVOTE, p.round).track(key);
    hs.votes.set(PRECOMMIT, p.round).track(key);
    if (p.polRound >= 0) hs.votes.set(PREVOTE, p.polRound).track(key);
  }

  private learnBlock(hs: HeightState, blockId: BlockID, bytes: Uint8Array): void {
    const key = blockKey(blockId);
    if (hs.blocks.has(key)) return;
    hs.blocks.set(key, { blockId, bytes, validity: 'pending' });
    this.out.push({ type: 'validateBlock', height: hs.height, blockId, block: bytes });
  }

  private onVote(e: VoteEvent): void {
    const v = e.vote;
    const problem = voteProblem(v);
    if (problem) return this.misbehaviour(e.from, 'malformed', problem);
    const hs = this.hs;
    if (!hs || !this.routeHeight(hs, v.height, e) || hs.decision) return;
    const idx = v.validatorIndex;
    const val = hs.validators.validators[idx];
    if (!val || !bytesEqual(val.address, v.validatorAddress)) return this.misbehaviour(e.from, 'unknown-validator', `no validator #${idx} with that address at height ${hs.height}`);
    const beyondWindow = v.round > hs.round + this.cfg.roundWindow;
    if (beyondWindow ? hs.votes.lastRoundOf(idx) >= v.round : hs.votes.set(v.type as typeof PREVOTE, v.round).has(idx, v)) return; // nothing new
    const pub = val.pubKey.ed25519;
    if (!pub || !this.init.verify(pub, voteBytes(this.init.chainId, v), v.signature)) {
      return this.misbehaviour(e.from, 'invalid-signature', `vote from validator #${idx} has an invalid signature (or is for another chain)`);
    }
    this.lastPeer = e.from;
    if (!beyondWindow) this.addVote(hs, idx, v);
    hs.votes.noteRound(idx, v.round); // a vote far ahead only counts towards round skipping
    this.rules();
  }

  private addVote(hs: HeightState, idx: number, v: Vote): void {
    const res = hs.votes.set(v.type as typeof PREVOTE, v.round).add(idx, v);
    if (res.kind !== 'conflict') return;
    const tag = `${idx}/${v.round}/${v.type}`;
    if (this.reportedEvidence.has(tag)) return;
    this.reportedEvidence.add(tag);
    this.out.push({ type: 'evidence', evidence: makeDuplicateVoteEvidence(res.existing, v, timestampFromMs(hs.lastBlockTimeMs), hs.validators) });
  }

  private onBlockValidated(e: BlockValidatedEvent): void {
    const hs = this.hs;
    if (!hs || e.height !== hs.height) return;
    const b = hs.blocks.get(blockKey(e.blockId));
    if (!b || b.validity !== 'pending') return;
    b.validity = e.valid ? 'valid' : 'invalid';
    b.timeMs = e.timeMs;
    this.rules();
  }

  /** A peer's decided block with its commit: verify the commit, take its precommits as votes, learn the block. */
  private onDecided(e: DecidedEvent): void {
    const hs = this.hs;
    const c = e.commit;
    if (!hs || hs.decision || c.height !== hs.height) return;
    if (e.block.length > this.cfg.maxBlockBytes) return this.misbehaviour(e.from, 'oversized', `block of ${e.block.length} bytes exceeds ${this.cfg.maxBlockBytes}`);
    const res = verifiedCommitVotes(this.init.chainId, hs.validators, hs.height, c, this.init.verify);
    if ('problem' in res) return this.misbehaviour(e.from, 'invalid-commit', res.problem);
    if (!partSetMatches(e.block, c.blockId)) return this.misbehaviour(e.from, 'block-mismatch', 'block does not match the commit part-set header');
    hs.caughtUp = true;
    hs.votes.set(PRECOMMIT, c.round).track(blockKey(c.blockId));
    for (const v of res.votes) {
      this.addVote(hs, v.validatorIndex, v);
      hs.votes.noteRound(v.validatorIndex, v.round);
    }
    this.learnBlock(hs, c.blockId, e.block);
    this.rules();
  }

  private ownMessages(hs: HeightState): ConsensusMessage[] {
    const out: ConsensusMessage[] = [];
    const round = hs.decision ? hs.decision.round : hs.round;
    const p = hs.proposals.get(round);
    if (p && this.isOwnRound(hs, round)) {
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
}
