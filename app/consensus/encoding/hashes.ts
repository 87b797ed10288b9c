/**
 * The hashes a CometBFT header commits to, computed exactly as CometBFT v0.38 does
 * (types/block.go, types/tx.go, types/results.go, types/validator_set.go,
 * types/params.go, types/evidence.go). Browser-safe.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { Timestamp } from 'cosmjs-types/google/protobuf/timestamp';
import { ExecTxResult } from 'cosmjs-types/tendermint/abci/types';
import type { PublicKey } from 'cosmjs-types/tendermint/crypto/keys';
import { DuplicateVoteEvidence, LightClientAttackEvidence, type Evidence } from 'cosmjs-types/tendermint/types/evidence';
import { HashedParams } from 'cosmjs-types/tendermint/types/params';
import { BlockID, CommitSig, type Header, type TxProof } from 'cosmjs-types/tendermint/types/types';
import { SimpleValidator } from 'cosmjs-types/tendermint/types/validator';
import { Consensus } from 'cosmjs-types/tendermint/version/types';
import { cdcBytes, cdcInt64, cdcString } from './cdc.js';
import { hashFromByteSlices, proofsFromByteSlices } from './merkle.js';

/** A tx hash (and mempool/cache key): SHA-256 of the tx bytes (`types.Tx.Hash`). */
export function txHash(tx: Uint8Array): Uint8Array {
  return sha256(tx);
}

/**
 * `Data.Hash`: Merkle root whose leaves are the tx hashes, not the txs. The node passes its
 * memoised node:crypto hash (`txHashOf`): the mempool already hashed the very same bytes.
 */
export function dataHash(txs: readonly Uint8Array[], hashTx: (tx: Uint8Array) => Uint8Array = txHash): Uint8Array {
  return hashFromByteSlices(txs.map(hashTx));
}

/** `Txs.Proof(i)`: inclusion proof of tx `index` against the block's data hash (`tx?prove=true`). */
export function txProof(txs: readonly Uint8Array[], index: number): TxProof {
  if (!Number.isInteger(index) || index < 0 || index >= txs.length) throw new RangeError(`tx index ${index} is outside the block's ${txs.length} txs`);
  const { root, proofs } = proofsFromByteSlices(txs.map(txHash));
  const p = proofs[index];
  return { rootHash: root, data: txs[index], proof: { total: BigInt(p.total), index: BigInt(p.index), leafHash: p.leafHash, aunts: p.aunts } };
}

/** `Commit.Hash`: Merkle root of the proto-encoded `CommitSig`s. */
export function commitHash(signatures: readonly CommitSig[]): Uint8Array {
  return hashFromByteSlices(signatures.map((s) => CommitSig.encode(s).finish()));
}

/**
 * `ABCIResults.Hash`: Merkle root of each ExecTxResult reduced to its deterministic
 * fields (code, data, gas_wanted, gas_used) and proto-encoded.
 */
export function resultsHash(results: readonly ExecTxResult[]): Uint8Array {
  return hashFromByteSlices(
    results.map((r) =>
      ExecTxResult.encode({
        code: r.code,
        data: r.data,
        log: '',
        info: '',
        gasWanted: r.gasWanted,
        gasUsed: r.gasUsed,
        events: [],
        codespace: '',
      }).finish(),
    ),
  );
}

/** `EvidenceList.Hash`: Merkle root of each evidence's own proto encoding (not the `Evidence` oneof). */
export function evidenceHash(evidence: readonly Evidence[]): Uint8Array {
  return hashFromByteSlices(
    evidence.map((e) => {
      if (e.duplicateVoteEvidence) return DuplicateVoteEvidence.encode(e.duplicateVoteEvidence).finish();
      if (e.lightClientAttackEvidence) return LightClientAttackEvidence.encode(e.lightClientAttackEvidence).finish();
      throw new Error('evidence has neither duplicate_vote_evidence nor light_client_attack_evidence');
    }),
  );
}

/** A validator as the set hash sees it. */
export interface HashedValidator {
  pubKey: PublicKey;
  votingPower: bigint;
}

/**
 * `ValidatorSet.Hash`: Merkle root of `SimpleValidator{pub_key, voting_power}` for
 * each validator, in set order (voting power descending, then address ascending).
 */
export function validatorSetHash(validators: readonly HashedValidator[]): Uint8Array {
  return hashFromByteSlices(validators.map((v) => SimpleValidator.encode({ pubKey: v.pubKey, votingPower: v.votingPower }).finish()));
}

/** `ConsensusParams.Hash`: SHA-256 of `HashedParams{block_max_bytes, block_max_gas}` (a plain hash, not a Merkle root). */
export function consensusParamsHash(blockMaxBytes: bigint, blockMaxGas: bigint): Uint8Array {
  return sha256(HashedParams.encode({ blockMaxBytes, blockMaxGas }).finish());
}

function encodeBlockIdNonNullable(id: BlockID | undefined): Uint8Array {
  // gogoproto non-nullable: the BlockID and its part_set_header are always written.
  const bid = id ?? { hash: new Uint8Array(0), partSetHeader: { total: 0, hash: new Uint8Array(0) } };
  return BlockID.encode({ hash: bid.hash, partSetHeader: bid.partSetHeader ?? { total: 0, hash: new Uint8Array(0) } }).finish();
}

/**
 * `Header.Hash`: Merkle root of the 14 header fields, each encoded on its own
 * (version as `Consensus`, time as `Timestamp`, last_block_id as `BlockID`, the rest
 * through cdcEncode's wrappers). Returns undefined when validators_hash is empty, as
 * CometBFT returns nil for an incomplete header.
 */
export function headerHash(h: Header): Uint8Array | undefined {
  if (!h.validatorsHash || h.validatorsHash.length === 0) return undefined;
  return hashFromByteSlices([
    Consensus.encode(h.version ?? { block: 0n, app: 0n }).finish(),
    cdcString(h.chainId),
    cdcInt64(h.height),
    Timestamp.encode(h.time ?? { seconds: 0n, nanos: 0 }).finish(),
    encodeBlockIdNonNullable(h.lastBlockId),
    cdcBytes(h.lastCommitHash),
    cdcBytes(h.dataHash),
    cdcBytes(h.validatorsHash),
    cdcBytes(h.nextValidatorsHash),
    cdcBytes(h.consensusHash),
    cdcBytes(h.appHash),
    cdcBytes(h.lastResultsHash),
    cdcBytes(h.evidenceHash),
    cdcBytes(h.proposerAddress),
  ]);
}
