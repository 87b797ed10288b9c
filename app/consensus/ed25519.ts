/**
 * Ed25519 signature verification for votes and commits, browser-safe (the SDK's
 * light client reuses it). ZIP-215 rules, which CometBFT ≥0.35 uses for consensus
 * (crypto/ed25519 via curve25519-voi), so every implementation accepts the same set.
 */
import { ed25519 } from '@noble/curves/ed25519.js';

export const ED25519_PUBKEY_LENGTH = 32;
export const ED25519_SIGNATURE_LENGTH = 64;

export function verifyEd25519(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
  if (signature.length !== ED25519_SIGNATURE_LENGTH || publicKey.length !== ED25519_PUBKEY_LENGTH) return false;
  try {
    return ed25519.verify(signature, message, publicKey, { zip215: true });
  } catch {
    return false;
  }
}
