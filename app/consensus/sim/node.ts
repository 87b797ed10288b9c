/**
 * One simulated validator: the host around an engine, doing what a real node's adapter
 * does (WAL before handle, WAL sync before signing, effects in order), with a
 * simulated app, signer and WAL. Crashes drop the engine, timers and unsynced WAL
 * records; the chain, the signer state and the synced WAL survive.
 */
import { SignedMsgType } from 'cosmjs-types/tendermint/types/types';
import { proposalSignBytes, voteSignBytes } from '../encoding/canonical.js';
import { createEngine, type Engine } from '../engine/engine.js';
import type { Ed25519Key } from '../engine/crypto.js';
import type { Effect, EngineEvent } from '../engine/types.js';
import { addressFromEd25519 } from '../validators.js';
import { SimApp } from './app.js';
import { decodeSimBlock } from './blocks.js';
import { MemoryWal } from './memwal.js';
import { SimPrivval, STEP_PROPOSE, stepOfVote } from './privval.js';
import type { Rng } from './rng.js';
import type { Behaviour, Cluster, NetMessage } from './types.js';
import { byzantineBroadcast, byzantineBuild } from './byzantine.js';

/** Simulated costs of local work, ms. */
const APPLY_MS = 2;
const VALIDATE_MS = 1;
const FSYNC_MS = 1;
const BUILD_MS = 1;

export class SimNode {
  readonly address: Uint8Array;
  readonly peerId: string;
  readonly app: SimApp;
  readonly wal = new MemoryWal();
  readonly privval: SimPrivval;
  engine: Engine | undefined;
  private incarnation = 0;
  down = false;

  constructor(
    readonly index: number,
    readonly key: Ed25519Key,
    readonly behaviour: Behaviour,
    readonly cluster: Cluster,
    readonly rng: Rng,
  ) {
    this.address = addressFromEd25519(key.pubKey);
    this.peerId = `node${index}`;
    this.app = new SimApp(cluster);
    this.privval = new SimPrivval((b) => key.sign(b));
  }

  incarnationCount(): number {
    return this.incarnation;
  }

  get honest(): boolean {
    return this.behaviour === 'honest';
  }

  boot(): void {
    this.down = false;
    this.engine = createEngine({ chainId: this.cluster.chainId, pubKey: this.key.pubKey, verify: this.cluster.verify, config: this.cluster.engineConfig });
    const h = this.app.height();
    const records = this.wal.replay();
    if (records.length > 0 && (records[0] as { height: bigint }).height === h + 1n) {
      // Restart: rebuild the state from the WAL (effects were carried out before the crash), then redo what is outstanding.
      for (const e of records) this.guard(() => this.engine!.handle(e));
      this.execute(this.guard(() => this.engine!.resume(this.cluster.wallNow())) ?? []);
    } else {
      this.deliver({ type: 'start', now: this.cluster.wallNow(), height: h + 1n, validators: this.cluster.validatorsAt(h + 1n), lastBlockTimeMs: this.app.blockTimeMs(h) });
    }
  }

  crash(): void {
    this.down = true;
    this.engine = undefined;
    this.incarnation++;
    this.wal.crash(this.rng);
    this.app.forgetVolatile();
  }

  private guard<T>(fn: () => T): T | undefined {
    try {
      return fn();
    } catch (e) {
      this.cluster.observer.engineError(this.index, e as Error);
      return undefined;
    }
  }

  /** Run `fn` after `delayMs` unless this node crashed in between. */
  later(delayMs: number, fn: () => void): void {
    const inc = this.incarnation;
    this.cluster.at(delayMs, () => {
      if (!this.down && this.incarnation === inc) fn();
    });
  }

  deliver(e: EngineEvent): void {
    if (this.down || !this.engine) return;
    this.wal.append(e);
    const effects = this.guard(() => this.engine!.handle(e));
    if (effects) this.execute(effects);
  }

  receive(from: number, m: NetMessage): void {
    if (this.down) return;
    const now = this.cluster.wallNow();
    const peer = `node${from}`;
    switch (m.kind) {
      case 'consensus':
        if (m.msg.type === 'vote') this.deliver({ type: 'vote', now, from: peer, vote: m.msg.vote });
        else this.deliver({ type: 'proposal', now, from: peer, proposal: m.msg.proposal, block: m.msg.block });
        return;
      case 'commitRequest': {
        const d = this.app.chain.get(m.height);
        if (d && this.behaviour !== 'silent') this.cluster.send(this.index, from, { kind: 'commitResponse', block: d.block, commit: d.commit });
        return;
      }
      case 'commitResponse':
        this.deliver({ type: 'decided', now, from: peer, block: m.block, commit: m.commit });
        return;
      case 'evidence':
        this.app.addEvidence(m.evidence);
        return;
      case 'tx':
        this.app.mempool.add(m.id);
        return;
    }
  }

  /** The peer layer's gossip: re-send our messages of a round that is not moving. */
  regossip(): void {
    if (this.down || !this.engine) return;
    for (const message of this.engine.gossip()) this.carryOut({ type: 'broadcast', message });
  }

  private execute(effects: Effect[]): void {
    for (const eff of effects) {
      if (this.down) return;
      this.carryOut(eff);
    }
  }

  private carryOut(eff: Effect): void {
    const c = this.cluster;
    switch (eff.type) {
      case 'broadcast':
        if (this.honest) c.broadcast(this.index, { kind: 'consensus', msg: eff.message });
        else byzantineBroadcast(this, eff.message);
        return;
      case 'schedule':
        this.later(eff.delayMs, () => this.deliver({ type: 'timeout', now: c.wallNow(), timeout: eff.timeout }));
        return;
      case 'buildProposal': {
        const invalid = this.behaviour === 'invalid-proposals' || byzantineBuild(this);
        const built = this.app.build(eff.height, eff.round, this.address, c.wallNow(), new Uint8Array(0), invalid);
        this.later(BUILD_MS, () => this.deliver({ type: 'proposalBuilt', now: c.wallNow(), height: eff.height, round: eff.round, ...built }));
        return;
      }
      case 'validateBlock': {
        const res = this.app.check(eff.height, eff.blockId, eff.block);
        const timeMs = 'block' in res ? res.block.timeMs : undefined;
        this.later(VALIDATE_MS, () => this.deliver({ type: 'blockValidated', now: c.wallNow(), height: eff.height, blockId: eff.blockId, valid: 'block' in res, timeMs }));
        return;
      }
      case 'signVote': {
        this.wal.sync(); // the decision's inputs are durable before anything is signed
        const v = eff.vote;
        const out = this.privval.sign(v.height, v.round, stepOfVote(v.type), voteSignBytes(c.chainId, v));
        const kind = v.type === SignedMsgType.SIGNED_MSG_TYPE_PREVOTE ? 'prevote' : 'precommit';
        if ('refused' in out) {
          c.observer.refusedSign(this.index, out.refused);
          this.later(FSYNC_MS, () => this.deliver({ type: 'signFailed', now: c.wallNow(), height: v.height, round: v.round, kind, reason: out.refused }));
        } else this.later(FSYNC_MS, () => this.deliverSynced({ type: 'signedVote', now: c.wallNow(), vote: { ...v, signature: out.signature } }));
        return;
      }
      case 'signProposal': {
        this.wal.sync();
        const p = eff.proposal;
        const out = this.privval.sign(p.height, p.round, STEP_PROPOSE, proposalSignBytes(c.chainId, p));
        if ('refused' in out) {
          c.observer.refusedSign(this.index, out.refused);
          this.later(FSYNC_MS, () => this.deliver({ type: 'signFailed', now: c.wallNow(), height: p.height, round: p.round, kind: 'proposal', reason: out.refused }));
        } else this.later(FSYNC_MS, () => this.deliverSynced({ type: 'signedProposal', now: c.wallNow(), proposal: { ...p, signature: out.signature } }));
        return;
      }
      case 'commit': {
        const decoded = decodeSimBlock(eff.block);
        const d = { blockId: eff.blockId, block: eff.block, decoded, commit: eff.commit, at: c.now() };
        this.app.apply(eff.height, d);
        c.observer.committed(this.index, eff.height, d);
        // Pending evidence is re-gossiped every height until a block includes it (a lost message must not lose it).
        for (const ev of this.app.readyEvidence()) c.broadcast(this.index, { kind: 'evidence', evidence: ev });
        const next = eff.height + 1n;
        this.later(APPLY_MS, () => this.deliver({ type: 'start', now: c.wallNow(), height: next, validators: c.validatorsAt(next), lastBlockTimeMs: decoded.timeMs }));
        return;
      }
      case 'evidence':
        c.observer.evidence(this.index, eff.evidence);
        this.app.addEvidence(eff.evidence);
        return;
      case 'misbehaviour':
        c.observer.misbehaviour(this.index, eff.peer, eff.reason);
        return;
      case 'requestCommit': {
        const to = Number(eff.peer.slice(4));
        if (Number.isInteger(to) && to >= 0 && to < c.size() && to !== this.index) c.send(this.index, to, { kind: 'commitRequest', height: eff.height });
        return;
      }
      case 'halt':
        c.observer.halted(this.index, eff.reason);
        return;
    }
  }

  /** Own signed messages are written with a sync: they must be durable before they leave (DESIGN §6). */
  private deliverSynced(e: EngineEvent): void {
    if (this.down || !this.engine) return;
    this.wal.append(e);
    this.wal.sync();
    const effects = this.guard(() => this.engine!.handle(e));
    if (effects) this.execute(effects);
  }
}
