/** The libp2p peer key from the node key (config/node_key.json: ed25519 seed ‖ public key). */
import { generateKeyPairFromSeed } from '@libp2p/crypto/keys';
import type { PrivateKey } from '@libp2p/interface';
import { ErrHostConfig } from './errors.js';

export async function peerKeyFromNodeKey(raw: Uint8Array): Promise<PrivateKey> {
  if (!(raw instanceof Uint8Array) || raw.length !== 64) throw ErrHostConfig.wrap(`privateKey: expected 64 bytes (ed25519 seed ‖ public key), got ${raw?.length}`);
  const key = await generateKeyPairFromSeed('Ed25519', raw.subarray(0, 32));
  const pub = key.publicKey.raw;
  for (let i = 0; i < 32; i++) {
    if (pub[i] !== raw[32 + i]) throw ErrHostConfig.wrap('privateKey: the public half does not match the seed (damaged node_key.json?)');
  }
  return key;
}
