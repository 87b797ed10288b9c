/** Light blocks out of real signed chains (app/consensus/blocksync/signed-chain.ts) for the light-client tests. */
import type { Ed25519Key } from '../../app/consensus/engine/crypto.js';
import type { SignedChain, SignedChainBlock } from '../../app/consensus/blocksync/signed-chain.js';
import { addressFromEd25519 } from '../../app/consensus/validators.js';
import { checkpointOf, checkpointSignBytes, type Checkpoint } from '../../sdk/light/checkpoint.js';
import { LightClientError, type LightClientErrorCode } from '../../sdk/light/errors.js';
import type { LightBlock } from '../../sdk/light/types.js';


export function lightBlockOf(b: SignedChainBlock): LightBlock {
  return { signedHeader: { header: b.block.header, commit: b.commit }, validatorSet: b.validatorSet };
}

/** A fetcher over a chain, recording the heights asked for. */
export function fetcherOf(chain: SignedChain, asked: bigint[] = []) {
  return async (height: bigint) => {
    asked.push(height);
    return lightBlockOf(chain.at(height));
  };
}

/** Sign the checkpoint of `height` with the given validator indices of that height's set. */
export function signCheckpoint(chain: SignedChain, height: number, signers?: readonly number[]): Checkpoint {
  const b = chain.at(height);
  const fields = checkpointOf(lightBlockOf(b));
  const msg = checkpointSignBytes(fields);
  const byAddr = new Map<string, Ed25519Key>(chain.keys.map((k) => [Buffer.from(addressFromEd25519(k.pubKey)).toString('hex'), k]));
  const idx = signers ?? b.validatorSet.validators.map((_, i) => i);
  return {
    ...fields,
    signatures: idx.map((i) => {
      const v = b.validatorSet.validators[i];
      return { validatorAddress: v.address, signature: byAddr.get(Buffer.from(v.address).toString('hex'))!.sign(msg) };
    }),
  };
}

/** The error code a throwing call ends with, or 'accepted'. */
export async function outcome(f: () => unknown): Promise<LightClientErrorCode | 'accepted'> {
  try {
    await f();
  } catch (e) {
    if (e instanceof LightClientError) return e.code;
    throw e;
  }
  return 'accepted';
}

export const timeMsOf = (b: SignedChainBlock) => Number(b.block.header.time.seconds) * 1000 + Math.floor(b.block.header.time.nanos / 1e6);
