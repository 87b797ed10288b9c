/** Convert CometBFT RPC JSON (recorded fixtures) into cosmjs-types structures for hash tests. */
import { fromBase64, fromHex } from '@cosmjs/encoding';
import type { Block } from 'cosmjs-types/tendermint/types/block';
import type { BlockID, Commit, CommitSig, Header } from 'cosmjs-types/tendermint/types/types';
import type { ValidatorSet } from 'cosmjs-types/tendermint/types/validator';
import { parseRfc3339 } from '../../../app/consensus/encoding/time.js';
import { validatorSetFromUpdates } from '../../../app/consensus/validators.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
export const hex = (s: string): Uint8Array => fromHex(s ?? '');

export function blockIdFromJson(j: any): BlockID {
  const parts = j.parts ?? j.part_set_header;
  return { hash: hex(j.hash), partSetHeader: { total: Number(parts.total), hash: hex(parts.hash) } };
}

export function headerFromJson(h: any): Header {
  return {
    version: { block: BigInt(h.version.block), app: BigInt(h.version.app ?? 0) },
    chainId: h.chain_id,
    height: BigInt(h.height),
    time: parseRfc3339(h.time),
    lastBlockId: blockIdFromJson(h.last_block_id),
    lastCommitHash: hex(h.last_commit_hash),
    dataHash: hex(h.data_hash),
    validatorsHash: hex(h.validators_hash),
    nextValidatorsHash: hex(h.next_validators_hash),
    consensusHash: hex(h.consensus_hash),
    appHash: hex(h.app_hash),
    lastResultsHash: hex(h.last_results_hash),
    evidenceHash: hex(h.evidence_hash),
    proposerAddress: hex(h.proposer_address),
  };
}

export function commitFromJson(c: any): Commit {
  return {
    height: BigInt(c.height),
    round: Number(c.round),
    blockId: blockIdFromJson(c.block_id),
    signatures: c.signatures.map(
      (s: any): CommitSig => ({
        blockIdFlag: Number(s.block_id_flag),
        validatorAddress: hex(s.validator_address ?? ''),
        timestamp: parseRfc3339(s.timestamp),
        signature: s.signature ? fromBase64(s.signature) : new Uint8Array(0),
      }),
    ),
  };
}

export function blockFromJson(b: any): Block {
  return {
    header: headerFromJson(b.header),
    data: { txs: (b.data.txs ?? []).map((t: string) => fromBase64(t)) },
    evidence: { evidence: [] },
    lastCommit: commitFromJson(b.last_commit),
  };
}

export function valsetFromGenesis(g: any): ValidatorSet {
  return validatorSetFromUpdates(
    g.validators.map((v: any) => ({ pubKey: { ed25519: fromBase64(v.pub_key.value) }, power: BigInt(v.power) })),
  );
}
