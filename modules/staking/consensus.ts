import { sha256 } from '@noble/hashes/sha2.js';

/** CometBFT address of an ed25519 consensus key: the first 20 bytes of its SHA-256. */
export function consensusAddress(pubkey: Uint8Array): Uint8Array {
  return sha256(pubkey).subarray(0, 20);
}
