/**
 * The evidence pool (CometBFT evidence/pool.go, duplicate votes only): evidence our
 * engine found and evidence peers sent, verified against the stored chain, deduplicated
 * by offence (validator, height, round, vote type), handed to proposals until a block
 * commits it, and refused once committed or expired (older than both
 * `evidence.max_age_num_blocks` and `max_age_duration`).
 *
 * Evidence of the height being decided cannot be checked yet: its timestamp must equal
 * the block time of its height. The engine stamps it with the previous block's time;
 * it waits in a buffer until that height commits and is then restamped and verified
 * (CometBFT `processConsensusBuffer`). Committed offences are recorded in the block's
 * own batch (sublevel `evidence`), so a restart still refuses them.
 */
import { MisbehaviorType, type Misbehavior } from 'cosmjs-types/tendermint/abci/types';
import { EvidenceList, type DuplicateVoteEvidence, type Evidence } from 'cosmjs-types/tendermint/types/evidence';
import type { ConsensusParams } from 'cosmjs-types/tendermint/types/params';
import type { BatchOp } from '../store/types.js';
import type { ChainBlockStore, Sublevel } from './blockstore.js';
import { timestampToMs } from './encoding/time.js';
import { EvidenceError, verifyDuplicateVoteEvidence } from './engine/evidence.js';
import type { VerifyFn } from './engine/types.js';
import { be64, utf8 } from './keys.js';

/** Pending plus buffered offences kept at most (a flood of valid evidence needs that many distinct double-signs). */
export const MAX_PENDING_EVIDENCE = 1024;

export interface EvidencePoolInit {
  chainId: string;
  verify: VerifyFn;
  blockStore: Pick<ChainBlockStore, 'loadValidators' | 'loadBlockMeta'>;
  /** Where committed offences are recorded (the node's `evidence` sublevel). */
  db: Sublevel;
}

/** The chain position evidence is judged at: the last committed block, or the block being validated. */
export interface EvidenceClock {
  height: number;
  timeMs: number;
  params: ConsensusParams;
}

export type AddResult = 'added' | 'known' | 'committed' | 'later' | { refused: string };

export interface EvidencePool {
  /** Evidence our engine found at the height being decided (`clock.height + 1`). */
  addOwn(ev: DuplicateVoteEvidence): void;
  /** Evidence from a peer, verified against the chain up to `clock`. */
  addFromPeer(ev: DuplicateVoteEvidence, clock: EvidenceClock): Promise<AddResult>;
  /** Pending evidence for a proposal, within `maxBytes` of encoded evidence. */
  pending(maxBytes: number): Evidence[];
  /** Why a proposed block's evidence is unacceptable at `clock` (the block's height and time), or undefined. */
  checkBlock(list: readonly Evidence[], clock: EvidenceClock): Promise<string | undefined>;
  /** Writes recording `list` as committed at `height`; put them in the block's batch. */
  committedOps(list: readonly Evidence[], height: number): BatchOp[];
  /** After block `clock.height` is stored: drop what it committed and what expired, verify the buffer. Returns newly pending evidence (to gossip). */
  update(committed: readonly Evidence[], clock: EvidenceClock): Promise<DuplicateVoteEvidence[]>;
  size(): number;
}

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

/** One offence: validator, height, round and vote type (the two votes' order and stamp do not matter). */
export function offenceKey(ev: DuplicateVoteEvidence): string {
  const a = ev.voteA;
  if (!a) throw new EvidenceError('vote A is missing');
  return `${hex(a.validatorAddress)}/${a.height}/${a.round}/${a.type}`;
}

/** The ABCI view of committed evidence (`BlockInfo.misbehavior`, read by slashing). */
export function misbehaviorOf(ev: Evidence): Misbehavior {
  const d = ev.duplicateVoteEvidence!;
  return {
    type: MisbehaviorType.DUPLICATE_VOTE,
    validator: { address: d.voteA!.validatorAddress, power: d.validatorPower },
    height: d.voteA!.height,
    time: d.timestamp!,
    totalVotingPower: d.totalVotingPower,
  };
}

export function evidenceBytes(list: readonly Evidence[]): number {
  return list.length === 0 ? 0 : EvidenceList.encode({ evidence: [...list] }).finish().length;
}

function maxAge(params: ConsensusParams): { maxAgeNumBlocks: bigint; maxAgeDurationMs: number } {
  const e = params.evidence;
  const d = e?.maxAgeDuration;
  return { maxAgeNumBlocks: e?.maxAgeNumBlocks ?? 100_000n, maxAgeDurationMs: d ? Number(d.seconds) * 1000 + Math.floor(d.nanos / 1e6) : 172_800_000 };
}

export function createEvidencePool(init: EvidencePoolInit): EvidencePool {
  const { chainId, verify, blockStore, db } = init;
  const pending = new Map<string, DuplicateVoteEvidence>();
  /** Own evidence of heights not yet committed, by offence. */
  const buffer = new Map<string, DuplicateVoteEvidence>();
  const dbKey = (key: string) => utf8(`c/${key}`);

  async function isCommitted(key: string): Promise<boolean> {
    return (await db.get(dbKey(key))) !== undefined;
  }

  /** Verify against the stored chain at `clock`; throws EvidenceError. */
  async function check(ev: DuplicateVoteEvidence, clock: EvidenceClock): Promise<void> {
    const h = Number(ev.voteA?.height ?? 0n);
    if (!(h > 0) || h > clock.height) throw new EvidenceError(`evidence height ${h} is not a committed height (latest ${clock.height})`);
    const [validators, meta] = await Promise.all([blockStore.loadValidators(h), blockStore.loadBlockMeta(h)]);
    if (!validators || !meta?.header) throw new EvidenceError(`no validator set or block stored for height ${h}`);
    verifyDuplicateVoteEvidence(ev, {
      chainId,
      validators,
      verify,
      blockTimeMs: timestampToMs(meta.header.time),
      now: { height: BigInt(clock.height), timeMs: clock.timeMs },
      ...maxAge(clock.params),
    });
  }

  function expired(ev: DuplicateVoteEvidence, clock: EvidenceClock): boolean {
    const { maxAgeNumBlocks, maxAgeDurationMs } = maxAge(clock.params);
    return BigInt(clock.height) - ev.voteA!.height > maxAgeNumBlocks && clock.timeMs - timestampToMs(ev.timestamp!) > maxAgeDurationMs;
  }

  return {
    addOwn(ev) {
      const key = offenceKey(ev);
      if (pending.has(key) || buffer.has(key) || pending.size + buffer.size >= MAX_PENDING_EVIDENCE) return;
      buffer.set(key, ev);
    },

    async addFromPeer(ev, clock) {
      let key: string;
      try {
        key = offenceKey(ev);
      } catch (err) {
        return { refused: (err as Error).message };
      }
      if (pending.has(key)) return 'known';
      if ((ev.voteA?.height ?? 0n) > BigInt(clock.height)) return 'later';
      if (await isCommitted(key)) return 'committed';
      try {
        await check(ev, clock);
      } catch (err) {
        return { refused: (err as Error).message };
      }
      if (pending.has(key)) return 'known';
      if (pending.size + buffer.size >= MAX_PENDING_EVIDENCE) return 'later';
      buffer.delete(key);
      pending.set(key, ev);
      return 'added';
    },

    pending(maxBytes) {
      const out: Evidence[] = [];
      for (const ev of pending.values()) {
        const next = [...out, { duplicateVoteEvidence: ev }];
        if (evidenceBytes(next) > maxBytes) break;
        out.push({ duplicateVoteEvidence: ev });
      }
      return out;
    },

    async checkBlock(list, clock) {
      const seen = new Set<string>();
      const maxBytes = Number(clock.params.evidence?.maxBytes ?? 1_048_576n);
      if (evidenceBytes(list) > maxBytes) return `evidence takes ${evidenceBytes(list)} bytes, more than evidence.max_bytes ${maxBytes}`;
      for (const [i, e] of list.entries()) {
        const ev = e.duplicateVoteEvidence;
        if (!ev) return `evidence #${i} is not duplicate-vote evidence (the only kind this chain accepts)`;
        let key: string;
        try {
          key = offenceKey(ev);
        } catch (err) {
          return `evidence #${i}: ${(err as Error).message}`;
        }
        if (seen.has(key)) return `evidence #${i} repeats an offence already in this block`;
        seen.add(key);
        if (await isCommitted(key)) return `evidence #${i} was already committed`;
        try {
          // Judged at the previous block (the evidence must be of a committed height), aged by this block's time.
          await check(ev, { ...clock, height: clock.height - 1 });
          if (expired(ev, clock)) return `evidence #${i} is expired`;
        } catch (err) {
          return `evidence #${i}: ${(err as Error).message}`;
        }
      }
      return undefined;
    },

    committedOps(list, height) {
      return list.filter((e) => e.duplicateVoteEvidence).map((e) => ({ type: 'put' as const, sublevel: db, key: dbKey(offenceKey(e.duplicateVoteEvidence!)), value: be64(height) }));
    },

    async update(committed, clock) {
      for (const e of committed) if (e.duplicateVoteEvidence) {
        const key = offenceKey(e.duplicateVoteEvidence);
        pending.delete(key);
        buffer.delete(key);
      }
      for (const [key, ev] of pending) if (expired(ev, clock)) pending.delete(key);
      const fresh: DuplicateVoteEvidence[] = [];
      for (const [key, ev] of buffer) {
        const h = Number(ev.voteA!.height);
        if (h > clock.height) continue;
        buffer.delete(key);
        const meta = await blockStore.loadBlockMeta(h);
        if (!meta?.header) continue;
        const stamped = { ...ev, timestamp: meta.header.time };
        try {
          if (await isCommitted(key)) continue;
          await check(stamped, clock);
        } catch {
          continue; // e.g. a validator set that changed under it: nothing to punish with it
        }
        pending.set(key, stamped);
        fresh.push(stamped);
      }
      return fresh;
    },

    size: () => pending.size,
  };
}
