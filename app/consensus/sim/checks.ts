/**
 * The invariants every simulated run must keep, checked as the run goes:
 * - agreement: no two blocks decided at one height (by anyone honest);
 * - validity: every decided block is one the app accepts, with a commit that verifies
 *   against the height's validator set;
 * - no honest double-sign: no honest validator sends two different votes for one
 *   height/round/type, and its engine never asks the signer for one;
 * - evidence: an honest node that receives both votes of an equivocation (while it is
 *   deciding that height and round) reports it, the evidence verifies, and it is
 *   committed within EVIDENCE_DEADLINE heights;
 * - minority partitions: nodes cut off with at most 2/3 of the stake never decide
 *   beyond one height past what was decided anywhere when the partition began;
 * - liveness: after the last disruption, with all honest nodes up and connected, every
 *   honest node gains at least LIVENESS_HEIGHTS heights;
 * - robustness: no engine throws or halts, and no honest peer is reported.
 */
import type { DuplicateVoteEvidence } from 'cosmjs-types/tendermint/types/evidence';
import { voteBytes } from '../engine/signbytes.js';
import { verifyCommitWith } from '../engine/commit.js';
import { verifyDuplicateVoteEvidence } from '../engine/evidence.js';
import { blockKey, toHex } from '../engine/ids.js';
import { evidenceTag } from './app.js';
import type { Cluster, Decided, NetMessage, Observer } from './types.js';

export const EVIDENCE_DEADLINE = 10n;

function sameAddress(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
export const LIVENESS_HEIGHTS = 2n;

export interface NodeView {
  honest: boolean;
  address: Uint8Array;
  down: boolean;
  incarnation(): number;
  height(): bigint;
  engineState(): { height: bigint; round: number; decided?: unknown } | undefined;
  reportedEvidence: Set<string>;
}

export interface PartitionWindow {
  at: number;
  until: number;
  groups: number[];
}

export interface RunStats {
  messages: number;
  misbehaviour: Record<string, number>;
  evidence: number;
  refusedSigns: number;
  /** (node, height) → proposal-to-decision latency, ms. */
  finalityMs: number[];
  txFinalityMs: number[];
  /** Time between a node's consecutive live commits, ms. */
  blockIntervalMs: number[];
  decisionRounds: number[];
}

export class Checker implements Observer {
  readonly violations: string[] = [];
  readonly stats: RunStats = { messages: 0, misbehaviour: {}, evidence: 0, refusedSigns: 0, finalityMs: [], txFinalityMs: [], blockIntervalMs: [], decisionRounds: [] };
  private readonly lastCommitAt = new Map<number, { height: bigint; at: number }>();
  /** height → decided block key. */
  readonly decided = new Map<bigint, string>();
  readonly chainEvidence = new Set<string>();
  private readonly honestVotes = new Map<string, string>();
  /** `${node}/${incarnation}|${tag}` → block keys of that equivocator's votes the node took in. */
  private readonly seenByNode = new Map<string, Set<string>>();
  private readonly emitted: Array<{ tag: string; node: number; incarnation: number; atHeight: bigint }> = [];
  private readonly byAddress = new Map<string, number>();
  private readonly byzantineByObject = new Map<Uint8Array, number>();
  private partitionFloor = new Map<PartitionWindow, bigint>();
  readonly txSubmitted = new Map<number, { node: number; at: number }>();
  private readonly txDone = new Set<number>();

  /** Nodes mostly build identical commits: verify each distinct one once. */
  private readonly verifiedCommits = new Set<string>();

  private commitVerifies(height: bigint, d: Decided): boolean {
    let id = `${height}/${d.commit.round}/${blockKey(d.blockId)}`;
    for (const s of d.commit.signatures) id += `/${s.blockIdFlag}:${s.signature.length ? (s.signature[0] | (s.signature[1] << 8) | (s.signature[2] << 16)) + s.signature[3] * 16777216 : ''}`;
    if (this.verifiedCommits.has(id)) return true;
    if (!verifyCommitWith(this.cluster.chainId, this.cluster.validatorsAt(height), d.blockId, height, d.commit, this.cluster.verify)) return false;
    this.verifiedCommits.add(id);
    return true;
  }

  constructor(
    private readonly cluster: Cluster,
    private readonly nodes: NodeView[],
    private readonly partitions: PartitionWindow[],
    private readonly roundWindow: number,
  ) {
    nodes.forEach((n, i) => this.byAddress.set(toHex(n.address), i));
  }

  private fail(msg: string): void {
    if (this.violations.length < 20) this.violations.push(`t=${this.cluster.now()}ms ${msg}`);
  }

  /** Is this a Byzantine validator's address? Identity first: votes carry the validator set's own address objects. */
  private byzantine(address: Uint8Array): number {
    let b = this.byzantineByObject.get(address);
    if (b === undefined) {
      b = this.nodes.findIndex((n) => !n.honest && sameAddress(n.address, address));
      if (this.byzantineByObject.size < 10_000) this.byzantineByObject.set(address, b);
    }
    return b;
  }

  maxHeight(): bigint {
    let h = 0n;
    for (const n of this.nodes) if (n.height() > h) h = n.height();
    return h;
  }

  /** Called by the cluster when a partition starts. */
  partitionStarted(p: PartitionWindow): void {
    this.partitionFloor.set(p, this.maxHeight());
  }

  sent(from: number, _to: number, m: NetMessage): void {
    if (m.kind !== 'consensus') return;
    this.stats.messages++;
    if (m.msg.type !== 'vote') return;
    const v = m.msg.vote;
    const node = this.nodes[from];
    if (!node.honest || !sameAddress(v.validatorAddress, node.address)) return;
    const tag = `${from}/${v.height}/${v.round}/${v.type}`;
    const key = blockKey(v.blockId);
    const prev = this.honestVotes.get(tag);
    if (prev === undefined) this.honestVotes.set(tag, key);
    else if (prev !== key) this.fail(`honest validator ${from} sent two different votes at height/round/type ${v.height}/${v.round}/${v.type}`);
  }

  delivered(to: number, m: NetMessage): void {
    if (m.kind !== 'consensus' || m.msg.type !== 'vote') return;
    const node = this.nodes[to];
    const v = m.msg.vote;
    if (!node.honest || node.down) return;
    const signer = this.byzantine(v.validatorAddress);
    if (signer < 0) return;
    const st = node.engineState();
    if (!st || st.height !== v.height || st.decided || v.round > st.round + this.roundWindow) return;
    // Only votes the engine can accept: signed for this chain, by the validator at that index.
    const val = this.cluster.validatorsAt(v.height).validators[v.validatorIndex];
    if (!val || toHex(val.address) !== toHex(v.validatorAddress) || v.signature.length !== 64) return;
    if (!this.cluster.verify(val.pubKey.ed25519!, voteBytes(this.cluster.chainId, v), v.signature)) return;
    const slot = `${to}/${node.incarnation()}|${signer}/${v.height}/${v.round}/${v.type}`;
    const keys = this.seenByNode.get(slot) ?? new Set<string>();
    keys.add(blockKey(v.blockId));
    this.seenByNode.set(slot, keys);
  }

  /** After a vote was handled: if the node now holds both halves of an equivocation, it must have reported it. */
  afterDelivery(to: number, m: NetMessage): void {
    if (m.kind !== 'consensus' || m.msg.type !== 'vote' || this.seenByNode.size === 0) return;
    const node = this.nodes[to];
    const v = m.msg.vote;
    const signer = this.byzantine(v.validatorAddress);
    if (signer < 0) return;
    const keys = this.seenByNode.get(`${to}/${node.incarnation()}|${signer}/${v.height}/${v.round}/${v.type}`);
    const tag = `${toHex(v.validatorAddress)}/${v.height}/${v.round}/${v.type}`;
    if (keys && keys.size >= 2 && !node.reportedEvidence.has(tag)) {
      this.fail(`node ${to} received conflicting votes ${tag} but reported no evidence`);
      keys.clear();
    }
  }

  committed(node: number, height: bigint, d: Decided): void {
    const key = blockKey(d.blockId);
    const first = this.decided.get(height);
    if (first === undefined) {
      this.decided.set(height, key);
      for (const ev of d.decoded.evidence) this.chainEvidence.add(evidenceTag(ev));
    } else if (first !== key && this.nodes[node].honest) this.fail(`agreement: node ${node} decided ${key.slice(0, 12)} at height ${height}, another node ${first.slice(0, 12)}`);
    if (!this.nodes[node].honest) return;
    if (d.decoded.invalid || d.decoded.height !== height) this.fail(`validity: node ${node} decided a block the app rejects at height ${height}`);
    if (!this.commitVerifies(height, d)) {
      this.fail(`validity: node ${node}'s commit for height ${height} does not verify`);
    }
    for (const p of this.partitions) {
      const now = this.cluster.now();
      if (now < p.at || now >= p.until || !this.isMinority(p, node, height)) continue;
      const floor = this.partitionFloor.get(p) ?? 0n;
      if (height > floor + 1n) this.fail(`minority partition: node ${node} decided height ${height}, beyond ${floor + 1n}, while cut off`);
    }
    this.stats.decisionRounds.push(d.commit.round);
    const last = this.lastCommitAt.get(node);
    if (last && last.height === height - 1n) this.stats.blockIntervalMs.push(this.cluster.now() - last.at);
    this.lastCommitAt.set(node, { height, at: this.cluster.now() });
    this.stats.finalityMs.push(this.cluster.wallNow() - d.decoded.timeMs);
    for (const t of d.decoded.txs) {
      const sub = this.txSubmitted.get(t);
      if (sub && sub.node === node && !this.txDone.has(t)) {
        this.txDone.add(t);
        this.stats.txFinalityMs.push(this.cluster.now() - sub.at);
      }
    }
  }

  private isMinority(p: PartitionWindow, node: number, height: bigint): boolean {
    const vals = this.cluster.validatorsAt(height).validators;
    let side = 0n;
    let total = 0n;
    this.nodes.forEach((n, i) => {
      const power = vals.find((v) => toHex(v.address) === toHex(n.address))?.votingPower ?? 0n;
      total += power;
      if (p.groups[i] === p.groups[node]) side += power;
    });
    return side * 3n <= total * 2n;
  }

  evidence(node: number, ev: DuplicateVoteEvidence): void {
    this.stats.evidence++;
    const n = this.nodes[node];
    const tag = evidenceTag(ev);
    n.reportedEvidence.add(tag);
    if (!n.honest) return;
    const h = ev.voteA!.height;
    try {
      verifyDuplicateVoteEvidence(ev, { chainId: this.cluster.chainId, validators: this.cluster.validatorsAt(h), verify: this.cluster.verify });
    } catch (e) {
      this.fail(`node ${node} produced evidence that does not verify: ${(e as Error).message}`);
    }
    const signer = this.byAddress.get(toHex(ev.voteA!.validatorAddress));
    if (signer !== undefined && this.nodes[signer].honest) this.fail(`evidence against honest validator ${signer}`);
    this.emitted.push({ tag, node, incarnation: n.incarnation(), atHeight: h });
  }

  misbehaviour(node: number, peer: string, reason: string): void {
    this.stats.misbehaviour[reason] = (this.stats.misbehaviour[reason] ?? 0) + 1;
    const accused = Number(peer.slice(4));
    if (this.nodes[node].honest && this.nodes[accused]?.honest) this.fail(`node ${node} reported honest peer ${accused} for ${reason}`);
  }

  refusedSign(node: number, reason: string): void {
    this.stats.refusedSigns++;
    if (this.nodes[node].honest) this.fail(`honest node ${node}'s engine asked its signer to double-sign: ${reason}`);
  }

  halted(node: number, reason: string): void {
    this.fail(`node ${node} halted: ${reason}`);
  }

  engineError(node: number, err: Error): void {
    this.fail(`node ${node} engine threw ${err.name}: ${err.message}`);
  }

  /** End-of-run checks: liveness after the last disruption and evidence inclusion. */
  finish(heightAtQuiet: bigint[]): void {
    this.nodes.forEach((n, i) => {
      if (n.honest && !n.down && n.height() < heightAtQuiet[i] + LIVENESS_HEIGHTS) {
        this.fail(`liveness: honest node ${i} went from height ${heightAtQuiet[i]} to ${n.height()} after the network healed`);
      }
    });
    const top = this.maxHeight();
    for (const e of this.emitted) {
      if (this.nodes[e.node].incarnation() !== e.incarnation) continue; // its pool died with it
      if (top >= e.atHeight + EVIDENCE_DEADLINE && !this.chainEvidence.has(e.tag)) this.fail(`evidence ${e.tag} reported by node ${e.node} was not committed within ${EVIDENCE_DEADLINE} heights`);
    }
  }
}
