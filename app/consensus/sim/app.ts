/**
 * The simulated app a node runs: it builds proposals from its mempool and evidence
 * pool, validates blocks against its own committed chain (ProcessProposal), and keeps
 * the evidence pool (CometBFT evidence/pool.go in miniature: conflicting votes are
 * stamped with the block time of their height once that block is known, gossiped, and
 * dropped once committed).
 */
import type { DuplicateVoteEvidence } from 'cosmjs-types/tendermint/types/evidence';
import { timestampFromMs } from '../encoding/time.js';
import { verifyDuplicateVoteEvidence } from '../engine/evidence.js';
import { toHex } from '../engine/ids.js';
import { sha256 } from '@noble/hashes/sha2.js';
import type { BlockID } from 'cosmjs-types/tendermint/types/types';
import { decodeSimBlock, encodeSimBlock, simBlockId, type SimBlock } from './blocks.js';
import type { Cluster, Decided } from './types.js';

export const MAX_TXS_PER_BLOCK = 200;

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function evidenceTag(ev: DuplicateVoteEvidence): string {
  const a = ev.voteA!;
  return `${toHex(a.validatorAddress)}/${a.height}/${a.round}/${a.type}`;
}

export class SimApp {
  readonly chain = new Map<bigint, Decided>();
  readonly mempool = new Set<number>();
  /** Evidence waiting for its height's block time, then for inclusion. */
  private readonly pool = new Map<string, DuplicateVoteEvidence>();
  readonly committedEvidence = new Set<string>();

  constructor(private readonly cluster: Cluster) {}

  height(): bigint {
    return BigInt(this.chain.size);
  }

  blockTimeMs(height: bigint): number {
    return height === 0n ? this.cluster.genesisTimeMs() - 1 : this.chain.get(height)!.decoded.timeMs;
  }

  addEvidence(ev: DuplicateVoteEvidence): boolean {
    const tag = evidenceTag(ev);
    if (this.pool.has(tag) || this.committedEvidence.has(tag)) return false;
    this.pool.set(tag, ev);
    return true;
  }

  /** Evidence whose height is committed, stamped with that block's time (CometBFT processConsensusBuffer). */
  readyEvidence(): DuplicateVoteEvidence[] {
    const out: DuplicateVoteEvidence[] = [];
    for (const ev of this.pool.values()) {
      const h = ev.voteA!.height;
      if (h > this.height()) continue;
      out.push({ ...ev, timestamp: timestampFromMs(this.blockTimeMs(h)) });
    }
    return out;
  }

  build(height: bigint, round: number, proposer: Uint8Array, nowMs: number, salt: Uint8Array, invalid: boolean): { block: Uint8Array; blockId: BlockID; timeMs: number } {
    const prev = this.blockTimeMs(height - 1n);
    const timeMs = Math.max(nowMs, prev + 1);
    const txs = [...this.mempool].sort((a, b) => a - b).slice(0, MAX_TXS_PER_BLOCK);
    const evidence = this.readyEvidence().filter((ev) => this.evidenceProblem(ev, height, timeMs) === undefined);
    const b: SimBlock = { height, round, proposer, timeMs, invalid, txs, evidence, salt };
    const block = encodeSimBlock(b);
    return { block, blockId: simBlockId(block), timeMs };
  }

  private evidenceProblem(ev: DuplicateVoteEvidence, height: bigint, timeMs: number): string | undefined {
    const h = ev.voteA?.height ?? 0n;
    if (h <= 0n || h >= height || h > this.height()) return `evidence height ${h} is not below block ${height}`;
    if (this.committedEvidence.has(evidenceTag(ev))) return 'evidence already committed';
    try {
      verifyDuplicateVoteEvidence(ev, {
        chainId: this.cluster.chainId,
        validators: this.cluster.validatorsAt(h),
        verify: this.cluster.verify,
        blockTimeMs: this.blockTimeMs(h),
        now: { height, timeMs },
        maxAgeNumBlocks: this.cluster.evidenceMaxAge.blocks,
        maxAgeDurationMs: this.cluster.evidenceMaxAge.ms,
      });
    } catch (e) {
      return (e as Error).message;
    }
    return undefined;
  }

  /** ProcessProposal: the decoded block if it is valid at `height` on this node's chain, or why not. */
  check(height: bigint, blockId: BlockID, bytes: Uint8Array): { block: SimBlock } | { problem: string } {
    if (!sameBytes(sha256(bytes), blockId.hash)) return { problem: 'block hash does not match its id' };
    let b: SimBlock;
    try {
      b = decodeSimBlock(bytes);
    } catch (e) {
      return { problem: `block does not decode: ${(e as Error).message}` };
    }
    const problem = this.problem(height, b);
    return problem ? { problem } : { block: b };
  }

  private problem(height: bigint, b: SimBlock): string | undefined {
    if (b.height !== height) return `block is for height ${b.height}`;
    if (b.invalid) return 'the app rejects this block';
    if (height > this.height() + 1n) return `block ${height} cannot be checked before block ${this.height() + 1n}`;
    const vals = this.cluster.validatorsAt(height).validators;
    if (!vals.some((v) => sameBytes(v.address, b.proposer))) return 'proposer is not a validator';
    if (b.timeMs <= this.blockTimeMs(height - 1n)) return 'block time does not increase';
    const tags = new Set<string>();
    for (const ev of b.evidence) {
      const tag = evidenceTag(ev);
      if (tags.has(tag)) return 'duplicate evidence in block';
      tags.add(tag);
      const p = this.evidenceProblem(ev, height, b.timeMs);
      if (p) return `invalid evidence: ${p}`;
    }
    return undefined;
  }

  apply(height: bigint, d: Decided): void {
    this.chain.set(height, d);
    for (const t of d.decoded.txs) this.mempool.delete(t);
    for (const ev of d.decoded.evidence) {
      const tag = evidenceTag(ev);
      this.committedEvidence.add(tag);
      this.pool.delete(tag);
    }
  }

  /** After a crash the mempool and pending evidence are gone (they are not persisted). */
  forgetVolatile(): void {
    this.mempool.clear();
    this.pool.clear();
  }
}
