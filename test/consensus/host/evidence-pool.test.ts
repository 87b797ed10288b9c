/**
 * The evidence pool on its own: own evidence waits for its height's block and is
 * restamped with its time; offences are deduplicated; committed evidence leaves the pool
 * and is refused in a later block (also after a restart: the record is in LevelDB);
 * invalid, expired and oversized evidence is refused.
 */
import type { BlockID, BlockMeta } from 'cosmjs-types/tendermint/types/types';
import type { ConsensusParams } from 'cosmjs-types/tendermint/types/params';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { timestampFromMs } from '../../../app/consensus/encoding/time.js';
import { makeDuplicateVoteEvidence } from '../../../app/consensus/engine/evidence.js';
import { createEvidencePool, evidenceBytes, misbehaviorOf, type EvidencePool } from '../../../app/consensus/evidence-pool.js';
import { DEFAULT_CONSENSUS_PARAMS } from '../../../app/consensus/params.js';
import { findValidator } from '../../../app/consensus/validators.js';
import { MisbehaviorType } from 'cosmjs-types/tendermint/abci/types';
import { CHAIN, makeValidators, T0, verify, vote } from '../engine/harness.js';
import { tempLevel } from '../helpers/level.js';

const { set, vals } = makeValidators([10, 20, 30, 40]);
const bid = (n: number): BlockID => ({ hash: new Uint8Array(32).fill(n), partSetHeader: { total: 1, hash: new Uint8Array(32).fill(n) } });
/** Block h was made at T0 + h seconds. */
const timeOf = (h: number) => T0 + h * 1000;
const params: ConsensusParams = { ...DEFAULT_CONSENSUS_PARAMS, evidence: { maxAgeNumBlocks: 10n, maxAgeDuration: { seconds: 20n, nanos: 0 }, maxBytes: 1_048_576n } };
const clock = (height: number) => ({ height, timeMs: timeOf(height), params });
/** Evidence of validator `who` double-prevoting at height h, stamped as the engine stamps it (previous block's time). */
const offence = (h: number, who = 1, round = 0) =>
  makeDuplicateVoteEvidence(vote(vals[who]!, 'prevote', BigInt(h), round, bid(1)), vote(vals[who]!, 'prevote', BigInt(h), round, bid(2)), timestampFromMs(timeOf(h - 1)), set);
const stamped = (h: number, who = 1, round = 0) => ({ ...offence(h, who, round), timestamp: timestampFromMs(timeOf(h)) });

describe('evidence pool', () => {
  let lvl: Awaited<ReturnType<typeof tempLevel>>;
  let pool: EvidencePool;
  const blockStore = {
    loadValidators: async () => set,
    loadBlockMeta: async (h: number) => ({ header: { time: timestampFromMs(timeOf(h)) } }) as unknown as BlockMeta,
  };
  const open = () => createEvidencePool({ chainId: CHAIN, verify, blockStore, db: lvl.db.sublevel<Uint8Array, Uint8Array>('evidence', { keyEncoding: 'view', valueEncoding: 'view' }) });

  beforeEach(async () => {
    lvl = await tempLevel();
    pool = open();
  });
  afterEach(async () => {
    await lvl.destroy();
  });

  it('keeps own evidence until its height commits, then restamps it with that block time; one entry per offence', async () => {
    pool.addOwn(offence(5));
    pool.addOwn(offence(5)); // the same offence seen twice
    expect(pool.pending(1 << 20)).toEqual([]);
    expect(await pool.update([], clock(4))).toEqual([]);
    const fresh = await pool.update([], clock(5));
    expect(fresh).toHaveLength(1);
    expect(fresh[0]!.timestamp).toEqual(timestampFromMs(timeOf(5)));
    expect(pool.pending(1 << 20)).toHaveLength(1);
    expect(await pool.addFromPeer(stamped(5), clock(6))).toBe('known');
    expect(misbehaviorOf(pool.pending(1 << 20)[0]!)).toMatchObject({ type: MisbehaviorType.DUPLICATE_VOTE, height: 5n, validator: { address: vals[1]!.address, power: findValidator(set, vals[1]!.address)!.validator.votingPower }, totalVotingPower: 100n });
  });

  it('accepts verified evidence from peers and refuses bad signatures, wrong stamps and evidence of heights not yet committed', async () => {
    expect(await pool.addFromPeer(stamped(7), clock(6))).toBe('later');
    expect(await pool.addFromPeer(offence(5), clock(6))).toMatchObject({ refused: expect.stringMatching(/timestamp/) });
    const forged = stamped(5);
    forged.voteB = { ...forged.voteB!, signature: new Uint8Array(64).fill(1) };
    expect(await pool.addFromPeer(forged, clock(6))).toMatchObject({ refused: expect.stringMatching(/invalid signature/) });
    expect(await pool.addFromPeer(stamped(5), clock(6))).toBe('added');
    expect(pool.size()).toBe(1);
  });

  it('drops what a block committed and refuses it in a later block, also after a restart', async () => {
    expect(await pool.addFromPeer(stamped(5), clock(6))).toBe('added');
    const list = pool.pending(1 << 20);
    expect(await pool.checkBlock(list, clock(7))).toBeUndefined();
    await lvl.write(pool.committedOps(list, 7)); // as the block's batch does
    await pool.update(list, clock(7));
    expect(pool.size()).toBe(0);
    expect(await pool.checkBlock(list, clock(8))).toMatch(/already committed/);
    const reopened = open();
    expect(await reopened.addFromPeer(stamped(5), clock(8))).toBe('committed');
    expect(await reopened.checkBlock(list, clock(9))).toMatch(/already committed/);
  });

  it('refuses repeated offences in one block, expired evidence and evidence over max_bytes', async () => {
    const one = { duplicateVoteEvidence: stamped(5) };
    expect(await pool.checkBlock([one, one], clock(6))).toMatch(/repeats an offence/);
    // older than both 10 blocks and 20 s: expired; older than only one of them: still valid
    expect(await pool.checkBlock([{ duplicateVoteEvidence: stamped(2) }], clock(30))).toMatch(/expired|older/);
    expect(await pool.checkBlock([{ duplicateVoteEvidence: stamped(2) }], clock(13))).toBeUndefined();
    const tight = { ...params, evidence: { ...params.evidence!, maxBytes: BigInt(evidenceBytes([one]) - 1) } };
    expect(await pool.checkBlock([one], { ...clock(6), params: tight })).toMatch(/max_bytes/);
    // proposals take pending evidence only up to the byte budget
    for (const who of [0, 1, 2]) expect(await pool.addFromPeer(stamped(5, who), clock(6))).toBe('added');
    expect(pool.pending(evidenceBytes([one]) * 2 + 4)).toHaveLength(2);
  });
});
