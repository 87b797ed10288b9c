/**
 * A checkpoint as a Guts node's RPC serves it (`checkpoint`, `checkpoints`): CometBFT
 * JSON conventions, int64 as a decimal string, hashes and addresses as hex, signatures
 * as base64. `checkpointFromJson` gives the `Checkpoint` that `verifyCheckpoint` and the
 * trust store take. Browser-safe.
 */
import type { Checkpoint } from './checkpoint.js';
import { LightClientError } from './errors.js';

export interface CheckpointJson {
  chain_id: string;
  height: string;
  header_hash: string;
  app_hash: string;
  next_validators_hash: string;
  signatures: Array<{ validator_address: string; signature: string }>;
}

function fromHex(h: string): Uint8Array {
  const out = new Uint8Array(h.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(h.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** Standard padded base64 (the web platform's `atob`, present in browsers and Node ≥ 16). */
function fromBase64(b: string): Uint8Array {
  if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(b)) throw new Error('not base64');
  return Uint8Array.from(atob(b), (c) => c.charCodeAt(0));
}

const bad = (details: string) => new LightClientError('invalid-checkpoint', 'checkpoint JSON is malformed', details);

function str(o: Record<string, unknown>, key: string, path: string): string {
  const v = o[key];
  if (typeof v !== 'string') throw bad(`${path}.${key} must be a string`);
  return v;
}

function hexField(o: Record<string, unknown>, key: string, path: string): Uint8Array {
  const v = str(o, key, path);
  if (!/^(?:[0-9a-fA-F]{2})*$/.test(v)) throw bad(`${path}.${key} must be hex`);
  return fromHex(v);
}

function object(v: unknown, path: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw bad(`${path} must be an object`);
  return v as Record<string, unknown>;
}

/** Parse the RPC's JSON form (field shapes are then checked by `validateCheckpoint` inside `verifyCheckpoint`). */
export function checkpointFromJson(json: unknown): Checkpoint {
  const o = object(json, 'checkpoint');
  const height = str(o, 'height', 'checkpoint');
  if (!/^[1-9][0-9]{0,18}$/.test(height)) throw bad(`checkpoint.height must be a positive decimal integer, got ${JSON.stringify(height)}`);
  const sigs = o.signatures;
  if (!Array.isArray(sigs)) throw bad('checkpoint.signatures must be an array');
  return {
    chainId: str(o, 'chain_id', 'checkpoint'),
    height: BigInt(height),
    headerHash: hexField(o, 'header_hash', 'checkpoint'),
    appHash: hexField(o, 'app_hash', 'checkpoint'),
    nextValidatorsHash: hexField(o, 'next_validators_hash', 'checkpoint'),
    signatures: sigs.map((s, i) => {
      const e = object(s, `checkpoint.signatures[${i}]`);
      const b64 = str(e, 'signature', `checkpoint.signatures[${i}]`);
      let signature: Uint8Array;
      try {
        signature = fromBase64(b64);
      } catch {
        throw bad(`checkpoint.signatures[${i}].signature must be base64`);
      }
      return { validatorAddress: hexField(e, 'validator_address', `checkpoint.signatures[${i}]`), signature };
    }),
  };
}
