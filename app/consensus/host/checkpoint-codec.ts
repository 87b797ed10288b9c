/**
 * Epoch checkpoints (DESIGN §3) as bytes: the record the block store keeps, and one
 * validator's signature as it travels between nodes. Both in the field numbering of
 * sdk/light's `CanonicalCheckpoint` (its sign bytes), so the stored record is exactly
 * the `Checkpoint` that `verifyCheckpoint` takes.
 *
 *   message CheckpointRecord {            message CheckpointSignatureMsg {
 *     sfixed64 height = 1;                  sfixed64 height = 1;
 *     bytes header_hash = 2;                bytes validator_address = 2;
 *     bytes app_hash = 3;                   bytes signature = 3;
 *     bytes next_validators_hash = 4;     }
 *     string chain_id = 5;
 *     repeated Sig signatures = 6;        // Sig { bytes validator_address = 1; bytes signature = 2; }
 *   }
 */
import { BinaryReader, BinaryWriter } from 'cosmjs-types/binary';
import type { Checkpoint, CheckpointSignature } from '../../../sdk/light/checkpoint.js';

export type { Checkpoint, CheckpointSignature } from '../../../sdk/light/checkpoint.js';

/** One validator's signature over a checkpoint, as gossiped. */
export interface CheckpointSignatureMessage {
  height: bigint;
  validatorAddress: Uint8Array;
  signature: Uint8Array;
}

export class CheckpointCodecError extends Error {
  override readonly name = 'CheckpointCodecError';
}

const ADDRESS_BYTES = 20;
const SIGNATURE_BYTES = 64;

export function encodeCheckpoint(cp: Checkpoint): Uint8Array {
  const w = BinaryWriter.create();
  w.uint32(9).sfixed64(cp.height);
  w.uint32(18).bytes(cp.headerHash);
  w.uint32(26).bytes(cp.appHash);
  w.uint32(34).bytes(cp.nextValidatorsHash);
  w.uint32(42).string(cp.chainId);
  for (const s of cp.signatures) w.uint32(50).fork().uint32(10).bytes(s.validatorAddress).uint32(18).bytes(s.signature).ldelim();
  return w.finish();
}

function decodeSig(bytes: Uint8Array): CheckpointSignature {
  const r = new BinaryReader(bytes);
  const s: CheckpointSignature = { validatorAddress: new Uint8Array(0), signature: new Uint8Array(0) };
  while (r.pos < r.len) {
    const tag = r.uint32();
    if (tag === 10) s.validatorAddress = r.bytes();
    else if (tag === 18) s.signature = r.bytes();
    else r.skipType(tag & 7);
  }
  return s;
}

/** Throws CheckpointCodecError on bytes that are not a record (shape checks are sdk/light's `validateCheckpoint`). */
export function decodeCheckpoint(bytes: Uint8Array): Checkpoint {
  try {
    const r = new BinaryReader(bytes);
    const cp: Checkpoint = { chainId: '', height: 0n, headerHash: new Uint8Array(0), appHash: new Uint8Array(0), nextValidatorsHash: new Uint8Array(0), signatures: [] };
    while (r.pos < r.len) {
      const tag = r.uint32();
      switch (tag) {
        case 9:
          cp.height = r.sfixed64();
          break;
        case 18:
          cp.headerHash = r.bytes();
          break;
        case 26:
          cp.appHash = r.bytes();
          break;
        case 34:
          cp.nextValidatorsHash = r.bytes();
          break;
        case 42:
          cp.chainId = r.string();
          break;
        case 50:
          cp.signatures.push(decodeSig(r.bytes()));
          break;
        default:
          r.skipType(tag & 7);
      }
    }
    return cp;
  } catch (err) {
    throw new CheckpointCodecError(`undecodable checkpoint record: ${(err as Error).message}`);
  }
}

export function encodeCheckpointSignature(m: CheckpointSignatureMessage): Uint8Array {
  return BinaryWriter.create().uint32(9).sfixed64(m.height).uint32(18).bytes(m.validatorAddress).uint32(26).bytes(m.signature).finish();
}

/** Throws CheckpointCodecError unless the height is positive, the address 20 bytes and the signature 64. */
export function decodeCheckpointSignature(bytes: Uint8Array): CheckpointSignatureMessage {
  const m: CheckpointSignatureMessage = { height: 0n, validatorAddress: new Uint8Array(0), signature: new Uint8Array(0) };
  try {
    const r = new BinaryReader(bytes);
    while (r.pos < r.len) {
      const tag = r.uint32();
      if (tag === 9) m.height = r.sfixed64();
      else if (tag === 18) m.validatorAddress = r.bytes();
      else if (tag === 26) m.signature = r.bytes();
      else r.skipType(tag & 7);
    }
  } catch (err) {
    throw new CheckpointCodecError(`undecodable checkpoint signature: ${(err as Error).message}`);
  }
  if (m.height <= 0n) throw new CheckpointCodecError(`checkpoint signature height ${m.height} is not positive`);
  if (m.validatorAddress.length !== ADDRESS_BYTES) throw new CheckpointCodecError('checkpoint signature validator address is not 20 bytes');
  if (m.signature.length !== SIGNATURE_BYTES) throw new CheckpointCodecError('checkpoint signature is not 64 bytes');
  return m;
}
