/** Keys as `simd keys … -o json` prints them: pubkey is the proto-JSON of the key, as a string. */
import type { KeyInfo } from '../app/keyring/index.js';

export interface KeyOutput {
  name: string;
  type: string;
  address: string;
  pubkey: string;
}

export function keyOutput(k: KeyInfo): KeyOutput {
  return { name: k.name, type: k.type, address: k.address, pubkey: JSON.stringify(k.pubkey) };
}
