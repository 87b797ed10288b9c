/**
 * The checkpoints a light client trusts, and the rule they enforce: no header at a
 * checkpoint's height may have another hash (DESIGN §3, long-range attack defence).
 * Checkpoints given at creation are the client's weak-subjectivity roots and are taken
 * as they are (shape-checked only); later ones are added only with more than 2/3 of
 * their height's validator set signing. Browser-safe; in memory (persist `list()`).
 */
import type { Header } from 'cosmjs-types/tendermint/types/types';
import { headerHash } from '../../app/consensus/encoding/hashes.js';
import { bytesEqual } from '../../app/consensus/validators.js';
import { validateCheckpoint, verifyCheckpoint, type Checkpoint } from './checkpoint.js';
import { CheckpointConflictError, LightClientError } from './errors.js';
import type { ValidatorSet } from 'cosmjs-types/tendermint/types/validator';

export interface TrustStore {
  readonly chainId: string;
  /** All trusted checkpoints, by height ascending. */
  list(): readonly Checkpoint[];
  checkpointAt(height: bigint): Checkpoint | undefined;
  /** Checkpoints with from < height < to, ascending. */
  between(from: bigint, to: bigint): Checkpoint[];
  /** Verify (more than 2/3 of `validatorSet`, the set of its height) and add; a different hash at a known height throws CheckpointConflictError. */
  add(checkpoint: Checkpoint, validatorSet: ValidatorSet): void;
  /** Throws CheckpointConflictError when `header` sits at a checkpoint height with another hash. */
  checkHeader(header: Header): void;
}

export interface CreateTrustStoreParameters {
  chainId: string;
  /** Weak-subjectivity roots, from a source the user trusts. */
  trusted?: readonly Checkpoint[];
}

export function createTrustStore({ chainId, trusted = [] }: CreateTrustStoreParameters): TrustStore {
  const byHeight = new Map<bigint, Checkpoint>();
  let sorted: Checkpoint[] = [];

  const insert = (cp: Checkpoint) => {
    if (cp.chainId !== chainId) throw new LightClientError('wrong-chain', 'checkpoint is for another chain', `got ${JSON.stringify(cp.chainId)}, expected ${JSON.stringify(chainId)}`);
    const known = byHeight.get(cp.height);
    if (known) {
      if (!bytesEqual(known.headerHash, cp.headerHash)) throw new CheckpointConflictError(cp.height, known.headerHash, cp.headerHash);
      return;
    }
    byHeight.set(cp.height, cp);
    sorted = [...byHeight.values()].sort((a, b) => (a.height < b.height ? -1 : 1));
  };
  for (const cp of trusted) {
    validateCheckpoint(cp);
    insert(cp);
  }

  return {
    chainId,
    list: () => sorted,
    checkpointAt: (height) => byHeight.get(height),
    between: (from, to) => sorted.filter((c) => c.height > from && c.height < to),
    add(cp, validatorSet) {
      verifyCheckpoint({ checkpoint: cp, validatorSet, chainId });
      insert(cp);
    },
    checkHeader(header) {
      const cp = byHeight.get(header.height);
      if (!cp) return;
      const hash = headerHash(header) ?? new Uint8Array(0);
      if (!bytesEqual(hash, cp.headerHash)) throw new CheckpointConflictError(header.height, cp.headerHash, hash);
    },
  };
}
