/**
 * The simulator's signer: FilePV's double-sign rule (privval.ts `checkHRS`: never go
 * back in height/round/step, and at the same one only re-sign the same bytes), with
 * the last-sign state kept in memory across simulated crashes as the file would be.
 */
import { DoubleSignError, checkHRS, STEP_PRECOMMIT, STEP_PREVOTE, STEP_PROPOSE, type LastSignState } from '../privval.js';

export type SignOutcome = { signature: Uint8Array } | { refused: string };

export class SimPrivval {
  private last: LastSignState = { height: 0n, round: 0, step: 0 };

  constructor(private readonly rawSign: (bytes: Uint8Array) => Uint8Array) {}

  sign(height: bigint, round: number, step: number, signBytes: Uint8Array): SignOutcome {
    try {
      if (checkHRS(this.last, height, round, step)) {
        const prev = this.last.signBytes!;
        if (prev.length === signBytes.length && prev.every((b, i) => b === signBytes[i])) return { signature: this.last.signature! };
        return { refused: `conflicting data at height ${height} round ${round} step ${step}` };
      }
    } catch (e) {
      if (e instanceof DoubleSignError) return { refused: e.message };
      throw e;
    }
    const signature = this.rawSign(signBytes);
    this.last = { height, round, step, signature, signBytes };
    return { signature };
  }
}

export const stepOfVote = (type: number): number => (type === 1 ? STEP_PREVOTE : STEP_PRECOMMIT);
export { STEP_PROPOSE };
