/**
 * Public keys in the two JSON forms CometBFT 0.38 emits: the amino-registered
 * `{type, value}` of crypto.PubKey (status, validators, genesis) and the protobuf
 * oneof `{Sum: {type, value}}` of crypto.PublicKey (ABCI validator updates).
 */
import type { PublicKey } from 'cosmjs-types/tendermint/crypto/keys';
import { b64 } from './primitives.js';

export type KeyAlgorithm = 'ed25519' | 'secp256k1';

export interface PubKeyJson {
  type: string;
  value: string;
}

const AMINO_NAMES: Record<KeyAlgorithm, string> = {
  ed25519: 'tendermint/PubKeyEd25519',
  secp256k1: 'tendermint/PubKeySecp256k1',
};

export function pubKeyJson(key: Uint8Array, algorithm: KeyAlgorithm = 'ed25519'): PubKeyJson {
  return { type: AMINO_NAMES[algorithm], value: b64(key) };
}

/** crypto.PublicKey (protobuf oneof), e.g. in `block_results.validator_updates`. */
export function publicKeyOneofJson(key: PublicKey | undefined): unknown {
  if (key?.ed25519 !== undefined) {
    return { Sum: { type: 'tendermint.crypto.PublicKey_Ed25519', value: { ed25519: b64(key.ed25519) } } };
  }
  if (key?.secp256k1 !== undefined) {
    return { Sum: { type: 'tendermint.crypto.PublicKey_Secp256K1', value: { secp256k1: b64(key.secp256k1) } } };
  }
  return null;
}
