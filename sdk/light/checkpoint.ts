/**
 * Epoch checkpoints (DESIGN §3): at an epoch's last height H the validators of H sign
 * (header hash, app hash, next validators hash) of H. A client that trusts a checkpoint
 * (weak subjectivity: it came from a source the user trusts, or was verified while the
 * signing set was still bonded) refuses every history whose header at H has another
 * hash: a long-range attacker holding old keys can sign a fork, but not one through the
 * checkpointed header. Browser-safe.
 *
 * The sign bytes are `"guts-checkpoint-v1\n" ‖ CanonicalCheckpoint` (proto below). The
 * ASCII prefix keeps them apart from every CometBFT sign-bytes message signed with the
 * same consensus key: those are `uvarint(len) ‖ proto` whose first field tag is 0x08 or
 * 0x0a, while here the second byte is 'u' (0x75), so no checkpoint signature can be
 * replayed as a vote, proposal or vote extension, nor the other way round.
 *
 *   message CanonicalCheckpoint {
 *     sfixed64 height = 1;
 *     bytes header_hash = 2;
 *     bytes app_hash = 3;
 *     bytes next_validators_hash = 4;
 *     string chain_id = 5;
 *   }
 */
import { BinaryWriter } from 'cosmjs-types/binary';
import type { ValidatorSet } from 'cosmjs-types/tendermint/types/validator';
import { verifyEd25519 } from '../../app/consensus/ed25519.js';
import { headerHash } from '../../app/consensus/encoding/hashes.js';
import { bytesEqual, totalVotingPower } from '../../app/consensus/validators.js';
import { validateLightBlock } from './basic.js';
import { CheckpointConflictError, LightClientError, toHex } from './errors.js';
import { MAX_CHAIN_ID_LENGTH, type LightBlock } from './types.js';

export interface CheckpointSignature {
  /** SHA-256(pubkey)[:20] of a validator of the set at `height`. */
  validatorAddress: Uint8Array;
  /** ed25519 over `checkpointSignBytes(checkpoint)`. */
  signature: Uint8Array;
}

export interface Checkpoint {
  chainId: string;
  height: bigint;
  /** Hash of the header at `height` (the block id hash). */
  headerHash: Uint8Array;
  /** The header's app_hash: the state after block height-1. */
  appHash: Uint8Array;
  /** The header's next_validators_hash: the set that signs height+1. */
  nextValidatorsHash: Uint8Array;
  signatures: CheckpointSignature[];
}

export const CHECKPOINT_SIGN_PREFIX = new TextEncoder().encode('guts-checkpoint-v1\n');
/** App hashes are 32 bytes in Guts (MPT root); CometBFT allows any length, so cap it only to bound memory. */
const MAX_APP_HASH_BYTES = 128;
/** CometBFT's MaxVotesCount bounds a commit; a checkpoint has at most one signature per validator. */
const MAX_CHECKPOINT_SIGNATURES = 10_000;

const invalid = (what: string, details?: string) => new LightClientError('invalid-checkpoint', what, details);

export function checkpointSignBytes(cp: Omit<Checkpoint, 'signatures'>): Uint8Array {
  const w = BinaryWriter.create();
  if (cp.height !== 0n) w.uint32(9).sfixed64(cp.height);
  if (cp.headerHash.length) w.uint32(18).bytes(cp.headerHash);
  if (cp.appHash.length) w.uint32(26).bytes(cp.appHash);
  if (cp.nextValidatorsHash.length) w.uint32(34).bytes(cp.nextValidatorsHash);
  if (cp.chainId !== '') w.uint32(42).string(cp.chainId);
  const body = w.finish();
  const out = new Uint8Array(CHECKPOINT_SIGN_PREFIX.length + body.length);
  out.set(CHECKPOINT_SIGN_PREFIX);
  out.set(body, CHECKPOINT_SIGN_PREFIX.length);
  return out;
}

/** Field shapes only (no signatures). */
export function validateCheckpoint(cp: Checkpoint): void {
  if (!cp) throw invalid('checkpoint is missing');
  if (typeof cp.chainId !== 'string' || cp.chainId.length === 0 || cp.chainId.length > MAX_CHAIN_ID_LENGTH) throw invalid(`checkpoint chain id must be 1-${MAX_CHAIN_ID_LENGTH} characters`);
  if (typeof cp.height !== 'bigint' || cp.height <= 0n) throw invalid('checkpoint height must be positive', `got ${cp.height}`);
  if (!(cp.headerHash instanceof Uint8Array) || cp.headerHash.length !== 32) throw invalid('checkpoint header hash must be 32 bytes');
  if (!(cp.nextValidatorsHash instanceof Uint8Array) || cp.nextValidatorsHash.length !== 32) throw invalid('checkpoint next validators hash must be 32 bytes');
  if (!(cp.appHash instanceof Uint8Array) || cp.appHash.length > MAX_APP_HASH_BYTES) throw invalid(`checkpoint app hash must be at most ${MAX_APP_HASH_BYTES} bytes`);
  if (!Array.isArray(cp.signatures) || cp.signatures.length > MAX_CHECKPOINT_SIGNATURES) throw invalid(`checkpoint must carry at most ${MAX_CHECKPOINT_SIGNATURES} signatures`);
  cp.signatures.forEach((s, i) => {
    if (!(s?.validatorAddress instanceof Uint8Array) || s.validatorAddress.length !== 20) throw invalid(`checkpoint signature #${i}: validator address must be 20 bytes`);
    if (!(s.signature instanceof Uint8Array) || s.signature.length !== 64) throw invalid(`checkpoint signature #${i}: signature must be 64 bytes`);
  });
}

export interface VerifyCheckpointParameters {
  checkpoint: Checkpoint;
  /** The validator set of `checkpoint.height` (the one its header's validators_hash names). */
  validatorSet: ValidatorSet;
  chainId: string;
}

/**
 * The checkpoint is for `chainId` and validators of `validatorSet` holding more than
 * 2/3 of its power signed it (CometBFT's "+2/3"; DESIGN §3's "≥2/3 of the stake").
 * Every signature present must verify and come from a distinct validator of the set.
 */
export function verifyCheckpoint({ checkpoint: cp, validatorSet, chainId }: VerifyCheckpointParameters): bigint {
  validateCheckpoint(cp);
  if (cp.chainId !== chainId) throw new LightClientError('wrong-chain', 'checkpoint is for another chain', `got ${JSON.stringify(cp.chainId)}, expected ${JSON.stringify(chainId)}`);
  const msg = checkpointSignBytes(cp);
  const seen = new Set<number>();
  let power = 0n;
  cp.signatures.forEach((s, i) => {
    const idx = validatorSet.validators.findIndex((v) => bytesEqual(v.address, s.validatorAddress));
    if (idx < 0) throw invalid(`checkpoint signature #${i} is from ${toHex(s.validatorAddress)}, not a validator of height ${cp.height}`);
    if (seen.has(idx)) throw invalid(`validator ${toHex(s.validatorAddress)} signed the checkpoint twice`);
    seen.add(idx);
    const v = validatorSet.validators[idx];
    const pub = v.pubKey.ed25519;
    if (!pub || !verifyEd25519(s.signature, msg, pub)) throw invalid(`checkpoint signature #${i} from ${toHex(s.validatorAddress)} does not verify`);
    power += v.votingPower;
  });
  const total = totalVotingPower(validatorSet);
  if (power * 3n <= total * 2n) throw invalid(`checkpoint at height ${cp.height} is signed by ${power} of ${total} voting power, not more than 2/3`);
  return power;
}

export interface VerifyCheckpointForLightBlockParameters {
  checkpoint: Checkpoint;
  /** The light block at the checkpoint's height. */
  lightBlock: LightBlock;
  chainId: string;
}

/**
 * A checkpoint signed by the light block's validators, matching its header. A validly
 * signed checkpoint for another header at the same height throws CheckpointConflictError
 * (two histories signed by the same set: one of them is an attack).
 */
export function verifyCheckpointForLightBlock({ checkpoint: cp, lightBlock, chainId }: VerifyCheckpointForLightBlockParameters): bigint {
  validateLightBlock(lightBlock, chainId);
  const h = lightBlock.signedHeader.header;
  if (h.height !== cp.height) throw invalid(`checkpoint is for height ${cp.height}, the light block for ${h.height}`);
  const power = verifyCheckpoint({ checkpoint: cp, validatorSet: lightBlock.validatorSet, chainId });
  const hash = headerHash(h)!;
  if (!bytesEqual(hash, cp.headerHash)) throw new CheckpointConflictError(cp.height, cp.headerHash, hash);
  if (!bytesEqual(h.appHash, cp.appHash)) throw invalid(`checkpoint app hash ${toHex(cp.appHash)} differs from the header's ${toHex(h.appHash)}`);
  if (!bytesEqual(h.nextValidatorsHash, cp.nextValidatorsHash)) throw invalid('checkpoint next validators hash differs from the header\'s');
  return power;
}

/** The checkpoint fields of a header (to sign, on a validator). */
export function checkpointOf(lightBlock: LightBlock): Omit<Checkpoint, 'signatures'> {
  const h = lightBlock.signedHeader.header;
  return { chainId: h.chainId, height: h.height, headerHash: headerHash(h)!, appHash: h.appHash, nextValidatorsHash: h.nextValidatorsHash };
}
