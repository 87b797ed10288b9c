/**
 * `ResultTx` (tx, tx_search) and `types.TxProof`. The proof itself is consensus's
 * (`Txs.Proof`: leaves are the tx hashes under the block's data hash).
 */
import type { TxProof } from 'cosmjs-types/tendermint/types/types';
import { txProof } from '../../consensus/encoding/hashes.js';
import type { IndexedTx } from '../../consensus/types.js';
import { txResultJson } from './abci.js';
import { b64, hex, int64 } from './primitives.js';

export interface TxProofJson {
  root_hash: string;
  data: string;
  proof: { total: string; index: string; leaf_hash: string; aunts: string[] };
}

export function proofJson(p: TxProof): TxProofJson {
  return {
    root_hash: hex(p.rootHash),
    data: b64(p.data),
    proof: {
      total: int64(p.proof?.total ?? 0n),
      index: int64(p.proof?.index ?? 0n),
      leaf_hash: b64(p.proof?.leafHash),
      aunts: (p.proof?.aunts ?? []).map(b64),
    },
  };
}

/** Inclusion proof of `txs[index]` against the block's data hash. */
export function txProofJson(txs: readonly Uint8Array[], index: number): TxProofJson {
  return proofJson(txProof(txs, index));
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
