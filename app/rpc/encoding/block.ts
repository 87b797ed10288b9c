/**
 * Blocks, headers, commits and block IDs as CometBFT 0.38 `types` marshal them
 * (rpc/core/types ResultBlock et al.), field for field.
 */
import type { Block } from 'cosmjs-types/tendermint/types/block';
import type { BlockID, Commit, CommitSig, Header, Vote } from 'cosmjs-types/tendermint/types/types';
import type { Evidence } from 'cosmjs-types/tendermint/types/evidence';
import type { Validator } from 'cosmjs-types/tendermint/types/validator';
import type { StoredBlock } from '../../consensus/types.js';
import { b64, b64OrNull, hex, int64 } from './primitives.js';
import { rfc3339 } from './time.js';
import { pubKeyJson } from './keys.js';

export interface BlockIdJson {
  hash: string;
  parts: { total: number; hash: string };
}

/** The block ID of "no block" (e.g. `last_block_id` at height 1): empty hashes, total 0. */
export const EMPTY_BLOCK_ID: BlockIdJson = Object.freeze({ hash: '', parts: Object.freeze({ total: 0, hash: '' }) });

export function blockIdJson(id: BlockID | undefined): BlockIdJson {
  if (id === undefined) return { hash: '', parts: { total: 0, hash: '' } };
  return { hash: hex(id.hash), parts: { total: id.partSetHeader?.total ?? 0, hash: hex(id.partSetHeader?.hash) } };
}

export function headerJson(h: Header): Record<string, unknown> {
  return {
    version: { block: int64(h.version?.block ?? 0n), app: int64(h.version?.app ?? 0n) },
    chain_id: h.chainId,
    height: int64(h.height),
    time: rfc3339(h.time),
    last_block_id: blockIdJson(h.lastBlockId),
    last_commit_hash: hex(h.lastCommitHash),
    data_hash: hex(h.dataHash),
    validators_hash: hex(h.validatorsHash),
    next_validators_hash: hex(h.nextValidatorsHash),
    consensus_hash: hex(h.consensusHash),
    app_hash: hex(h.appHash),
    last_results_hash: hex(h.lastResultsHash),
    evidence_hash: hex(h.evidenceHash),
    proposer_address: hex(h.proposerAddress),
  };
}

function commitSigJson(sig: CommitSig): Record<string, unknown> {
  return {
    block_id_flag: sig.blockIdFlag,
    validator_address: hex(sig.validatorAddress),
    timestamp: rfc3339(sig.timestamp),
    signature: b64OrNull(sig.signature),
  };
}

/** A commit; the empty commit (no `last_commit` at height 1) is height 0 with an empty block ID. */
export function commitJson(c: Commit | undefined): Record<string, unknown> {
  if (c === undefined) return { height: '0', round: 0, block_id: blockIdJson(undefined), signatures: [] };
  return {
    height: int64(c.height),
    round: c.round,
    block_id: blockIdJson(c.blockId),
    signatures: c.signatures.map(commitSigJson),
  };
}

function voteJson(v: Vote | undefined): Record<string, unknown> | null {
  if (v === undefined) return null;
  return {
    type: v.type,
    height: int64(v.height),
    round: v.round,
    block_id: blockIdJson(v.blockId),
    timestamp: rfc3339(v.timestamp),
    validator_address: hex(v.validatorAddress),
    validator_index: v.validatorIndex,
    signature: b64OrNull(v.signature),
    extension: b64OrNull(v.extension),
    extension_signature: b64OrNull(v.extensionSignature),
  };
}

export function validatorJson(v: Validator): Record<string, unknown> {
  const key = v.pubKey?.secp256k1 !== undefined ? pubKeyJson(v.pubKey.secp256k1, 'secp256k1') : pubKeyJson(v.pubKey?.ed25519 ?? new Uint8Array(), 'ed25519');
  return { address: hex(v.address), pub_key: key, voting_power: int64(v.votingPower), proposer_priority: int64(v.proposerPriority) };
}

/** Evidence in amino's registered-type envelope, as `types.EvidenceList` marshals. */
function evidenceJson(ev: Evidence): Record<string, unknown> {
  const dv = ev.duplicateVoteEvidence;
  if (dv !== undefined) {
    return {
      type: 'tendermint/DuplicateVoteEvidence',
      value: {
        vote_a: voteJson(dv.voteA),
        vote_b: voteJson(dv.voteB),
        TotalVotingPower: int64(dv.totalVotingPower),
        ValidatorPower: int64(dv.validatorPower),
        Timestamp: rfc3339(dv.timestamp),
      },
    };
  }
  const lc = ev.lightClientAttackEvidence;
  if (lc !== undefined) {
    const sh = lc.conflictingBlock?.signedHeader;
    const vs = lc.conflictingBlock?.validatorSet;
    return {
      type: 'tendermint/LightClientAttackEvidence',
      value: {
        ConflictingBlock: {
          signed_header: { header: sh?.header ? headerJson(sh.header) : null, commit: sh?.commit ? commitJson(sh.commit) : null },
          validator_set: vs
            ? { validators: vs.validators.map(validatorJson), proposer: vs.proposer ? validatorJson(vs.proposer) : null }
            : null,
        },
        CommonHeight: int64(lc.commonHeight),
        ByzantineValidators: lc.byzantineValidators.map(validatorJson),
        TotalVotingPower: int64(lc.totalVotingPower),
        Timestamp: rfc3339(lc.timestamp),
      },
    };
  }
  return { type: 'unknown', value: null };
}

export function blockJson(b: Block): Record<string, unknown> {
  return {
    header: headerJson(b.header),
    data: { txs: (b.data?.txs ?? []).map(b64) },
    evidence: { evidence: (b.evidence?.evidence ?? []).map(evidenceJson) },
    last_commit: commitJson(b.lastCommit),
  };
}

/** `ResultBlock`: `{block_id, block}`; a missing block is an empty ID and null block, as in CometBFT. */
export function resultBlockJson(stored: StoredBlock | undefined): { block_id: BlockIdJson; block: Record<string, unknown> | null } {
  if (stored === undefined) return { block_id: blockIdJson(undefined), block: null };
  return { block_id: blockIdJson(stored.blockId), block: blockJson(stored.block) };
}

export function blockMetaJson(stored: StoredBlock): Record<string, unknown> {
  return {
    block_id: blockIdJson(stored.blockId),
    block_size: int64(stored.size),
    header: headerJson(stored.block.header),
    num_txs: int64(stored.block.data?.txs.length ?? 0),
  };
}
