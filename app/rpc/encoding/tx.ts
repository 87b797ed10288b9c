/**
 * `ResultTx` (tx, tx_search) and `types.TxProof`. A block's data hash is the Merkle
 * root over SHA-256(tx) of each tx (CometBFT types/tx.go `Txs.Hash`), so the proof's
 * leaves are tx hashes, not tx bytes.
 */
import { createHash } from 'node:crypto';
import type { IndexedTx } from '../../consensus/types.js';
import { txResultJson } from './abci.js';
import { b64, hex, int64 } from './primitives.js';
import { proofsFromByteSlices } from '../../consensus/encoding/merkle.js';

export function sha256(data: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha256').update(data).digest());
}

export interface TxProofJson {
  root_hash: string;
  data: string;
  proof: { total: string; index: string; leaf_hash: string; aunts: string[] };
}

/** Inclusion proof of `txs[index]` against the block's data hash. */
export function txProofJson(txs: readonly Uint8Array[], index: number): TxProofJson {
  const { root, proofs } = proofsFromByteSlices(txs.map(sha256));
  const p = proofs[index];
  if (p === undefined) throw new RangeError(`tx index ${index} is outside the block's ${txs.length} txs`);
  return {
    root_hash: hex(root),
    data: b64(txs[index]),
    proof: { total: int64(p.total), index: int64(p.index), leaf_hash: b64(p.leafHash), aunts: p.aunts.map(b64) },
  };
}

export function resultTxJson(t: IndexedTx, proof?: TxProofJson): Record<string, unknown> {
  return {
    hash: hex(t.hash),
    height: int64(t.height),
    index: t.index,
    tx_result: txResultJson(t.result),
    tx: b64(t.tx),
    ...(proof ? { proof } : {}),
  };
}
