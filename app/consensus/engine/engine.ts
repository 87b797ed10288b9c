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
import { addressFromEd25519, bytesEqual } from '../validators.js';
import { commitFromVotes } from './commit.js';
import { engineConfig, timeoutFor } from './config.js';
import { newHeightState, proposerOf, type HeightState } from './height.js';
import { PRECOMMIT, PREVOTE } from './heightvotes.js';
import { NIL_KEY, toHex } from './ids.js';
import { FutureInbox } from './inbox.js';
import { onBlockValidated, onDecided, onProposal, onVote } from './intake.js';
import { decidedHeight, type DecidedHeight } from './late.js';
import { onProposalBuilt, onSignedProposal, onSignedVote, onSignFailed, ownMessages, proposeBlock, requestVote } from './own.js';
import { applyRules, type RuleActions } from './rules.js';
import type { ConsensusMessage, Effect, EngineConfig, EngineEvent, MisbehaviourReason, PeerId, RoundStateView, StartEvent, Step, TimeoutEvent, VerifyFn } from './types.js';
import { EngineError } from './types.js';

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

/** Messages from peers ahead of us after which an unanswered catch-up request is retried. */
const CATCHUP_RETRY_MESSAGES = 16;

export function createEngine(init: EngineInit): Engine {
  return new TendermintEngine(init);
}

/**
 * The engine's state and the actions shared by its parts (intake.ts: peers' messages,
 * own.ts: our messages, rules.ts: Algorithm 1). Exported for those files only; hosts
 * see the `Engine` interface.
 */
export class TendermintEngine implements Engine, RuleActions {
  readonly cfg: EngineConfig;
  readonly inbox: FutureInbox;
  readonly own: { pubKey: Uint8Array; addressHex: string } | undefined;
  hs: HeightState | undefined;
  /** Time of the event being handled (ms). */
  now = 0;
  /** The peer whose message we last accepted: who to ask for a block we lack. */
  lastPeer: PeerId | undefined;
  /** The last decided height (this one once decided, else the previous one): where late precommits go. */
  lastDecided: DecidedHeight | undefined;
  /** Equivocations already reported this height, by `${validator}/${round}/${type}`. */
  reportedEvidence = new Set<string>();
  private pendingStart: StartEvent | undefined;
  private halted = false;
  private out: Effect[] = [];

  constructor(readonly init: EngineInit) {
    this.cfg = engineConfig(init.config);
    this.own = init.pubKey ? { pubKey: init.pubKey, addressHex: toHex(addressFromEd25519(init.pubKey)) } : undefined;
    this.inbox = new FutureInbox(this.cfg);
  }

  emit(effect: Effect): void {
    this.out.push(effect);
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
        onProposal(this, event);
        break;
      case 'vote':
        onVote(this, event);
        break;
      case 'timeout':
        this.onTimeout(event);
        break;
      case 'proposalBuilt':
        onProposalBuilt(this, event);
        break;
      case 'blockValidated':
        onBlockValidated(this, event);
        break;
      case 'signedVote':
        onSignedVote(this, event);
        break;
      case 'signedProposal':
        onSignedProposal(this, event);
        break;
      case 'signFailed':
        onSignFailed(this, event);
        break;
      case 'decided':
        onDecided(this, event);
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
    for (const p of hs.pendingSign.values()) this.emit(p.kind === 'vote' ? { type: 'signVote', vote: p.vote } : { type: 'signProposal', proposal: p.proposal });
    if (hs.buildRequested.has(hs.round) && !hs.ownBlock.has(hs.round)) this.emit({ type: 'buildProposal', height: hs.height, round: hs.round });
    for (const b of hs.blocks.values()) if (b.validity === 'pending') this.emit({ type: 'validateBlock', height: hs.height, blockId: b.blockId, block: b.bytes });
    this.scheduleTimeout('propose', hs.round);
    if (hs.prevoteTimeoutSet.has(hs.round)) this.scheduleTimeout('prevote', hs.round);
    if (hs.precommitTimeoutSet.has(hs.round)) this.scheduleTimeout('precommit', hs.round);
    for (const message of ownMessages(this, hs)) this.emit({ type: 'broadcast', message });
    return this.out;
  }

  gossip(): ConsensusMessage[] {
    return this.hs && !this.halted ? ownMessages(this, this.hs) : [];
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

  /** Line 53: a new height starts with fresh variables and an empty message log (plus what was kept for it). */
  private enterHeight(e: StartEvent): void {
    this.pendingStart = undefined;
    if (this.lastDecided && this.lastDecided.height !== e.height - 1n) this.lastDecided = undefined;
    const keptForThisHeight = this.inbox.drain();
    this.hs = newHeightState(e.height, e.validators, this.own, e.lastBlockTimeMs ?? 0);
    this.reportedEvidence = new Set();
    this.lastPeer = undefined;
    this.startRound(0);
    for (const m of keptForThisHeight) {
      if (m.type === 'proposal') onProposal(this, m);
      else onVote(this, m);
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
      if (hs.validKey !== undefined) proposeBlock(this, hs, round, hs.validKey, hs.validRound);
      else if (!hs.buildRequested.has(round)) {
        hs.buildRequested.add(round);
        this.emit({ type: 'buildProposal', height: hs.height, round });
      }
    }
  }

  isOwnRound(hs: HeightState, round: number): boolean {
    return hs.self >= 0 && bytesEqual(proposerOf(hs, round).address, hs.validators.validators[hs.self].address);
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
    requestVote(this, PREVOTE, key);
  }

  precommit(key: string): void {
    this.hs!.step = 'precommit';
    requestVote(this, PRECOMMIT, key);
  }

  scheduleTimeout(step: Step, round: number): void {
    const hs = this.hs!;
    this.emit({ type: 'schedule', timeout: { height: hs.height, round, step }, delayMs: timeoutFor(this.cfg, step, round) });
  }

  decide(round: number, key: string): void {
    const hs = this.hs!;
    hs.decision = { round, key };
    hs.step = 'commit';
    this.lastDecided = decidedHeight(hs);
    // timeout_commit gathers late precommits and paces blocks; a node catching up from peers' commits has no reason to wait.
    hs.commitTimeoutFired = hs.caughtUp;
    this.emitCommit(hs);
  }

  needBlock(): void {
    if (this.lastPeer !== undefined) this.catchUp(this.lastPeer);
  }

  halt(reason: string): void {
    this.halted = true;
    this.emit({ type: 'halt', height: this.hs!.height, reason });
  }

  private emitCommit(hs: HeightState): void {
    const { round, key } = hs.decision!;
    const block = hs.blocks.get(key)!;
    const commit = commitFromVotes(hs.height, round, block.blockId, hs.votes.set(PRECOMMIT, round), hs.validators.validators.length);
    this.emit({ type: 'commit', height: hs.height, round, blockId: block.blockId, block: block.bytes, commit });
    if (!hs.commitTimeoutFired) this.scheduleTimeout('commit', round);
  }

  rules(): void {
    if (this.hs && !this.halted) applyRules(this.hs, this);
  }

  misbehaviour(peer: PeerId, reason: MisbehaviourReason, detail: string): void {
    this.emit({ type: 'misbehaviour', peer, reason, detail });
  }

  /**
   * A peer is ahead of us, or holds a block we lack: ask it for its decided block and
   * commit. One request is out at a time; it counts as lost (and we ask again, likely
   * another peer) after CATCHUP_RETRY_MESSAGES more messages from ahead, or a timeout.
   */
  catchUp(peer: PeerId): void {
    const hs = this.hs!;
    if (hs.decision) return;
    if (hs.catchupRequested && --hs.catchupCooldown > 0) return;
    hs.catchupRequested = true;
    hs.catchupCooldown = CATCHUP_RETRY_MESSAGES;
    this.emit({ type: 'requestCommit', height: hs.height, peer });
  }
}
