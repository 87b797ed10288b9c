/**
 * Check a Guts state proof with no trust in the node (DESIGN §3). `abci_query` with
 * `prove=true` answers with `proof_ops.ops[0] = { type: 'guts:mpt', key, data }`, where
 * `data` is the RLP list of trie nodes from @ethereumjs/mpt `createMerkleProof`; the trie
 * does not hash keys. Verification is @ethereumjs/mpt's own `verifyMerkleProof` against
 * the app hash of the queried height, so an auditor can do the same without Guts code.
 * Browser-safe: no Node built-ins.
 */
import { verifyMerkleProof } from '@ethereumjs/mpt';
import { RLP } from '@ethereumjs/rlp';
import { KECCAK256_RLP } from '@ethereumjs/util';

/** Proof op type of a trie with raw (unhashed) keys. */
export const MPT_PROOF_OP_TYPE = 'guts:mpt';

export interface ProofOp {
  type: string;
  key: Uint8Array;
  data: Uint8Array;
}

export class InvalidProofOpError extends Error {
  override readonly name = 'InvalidProofOpError';
  readonly docsPath = '/sdk/proofs';
  constructor(
    readonly shortMessage: string,
    readonly details?: string,
  ) {
    super(details ? `${shortMessage}: ${details}` : shortMessage);
  }
}

export interface VerifyStoreProofParameters {
  /** App hash (trie root) of the height the proof is for, taken from a verified header. */
  root: Uint8Array;
  key: Uint8Array;
  /** The value the node claims; undefined when it claims the key is absent. */
  value: Uint8Array | undefined;
  /** Trie nodes, root first. */
  proof: Uint8Array[];
}
export type VerifyStoreProofReturnType = boolean;

/** True iff `proof` shows `key` holding `value` (or absent, when `value` is undefined) under `root`. */
export async function verifyStoreProof({ root, key, value, proof }: VerifyStoreProofParameters): Promise<VerifyStoreProofReturnType> {
  // an empty trie has no nodes to show: only absence from the empty root is provable
  if (proof.length === 0) return value === undefined && equal(root, KECCAK256_RLP);
  let proven: Uint8Array | null;
  try {
    proven = await verifyMerkleProof(key, proof, { root, useKeyHashing: false });
  } catch {
    return false;
  }
  if (value === undefined) return proven === null;
  return proven !== null && equal(proven, value);
}

export interface EncodeProofOpParameters {
  key: Uint8Array;
  proof: Uint8Array[];
}

export function encodeProofOp({ key, proof }: EncodeProofOpParameters): ProofOp {
  return { type: MPT_PROOF_OP_TYPE, key, data: RLP.encode(proof) };
}

export interface DecodeProofOpReturnType {
  key: Uint8Array;
  proof: Uint8Array[];
}

/** Inverse of encodeProofOp; throws InvalidProofOpError for another op type or malformed data. */
export function decodeProofOp(op: ProofOp): DecodeProofOpReturnType {
  if (op.type !== MPT_PROOF_OP_TYPE) {
    throw new InvalidProofOpError('unsupported proof op type', `got '${op.type}', expected '${MPT_PROOF_OP_TYPE}'`);
  }
  let nodes: unknown;
  try {
    nodes = RLP.decode(op.data);
  } catch (err) {
    throw new InvalidProofOpError('proof op data is not RLP', err instanceof Error ? err.message : String(err));
  }
  if (!Array.isArray(nodes) || !nodes.every((n): n is Uint8Array => n instanceof Uint8Array)) {
    throw new InvalidProofOpError('proof op data must be an RLP list of trie nodes (byte strings)');
  }
  return { key: op.key, proof: nodes };
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
