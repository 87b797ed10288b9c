/**
 * Test helpers for the engine: real ed25519 validators, signed votes and proposals, and
 * a synchronous in-memory cluster that carries out effects immediately.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { SignedMsgType, type BlockID, type Proposal, type Vote } from 'cosmjs-types/tendermint/types/types';
import type { ValidatorSet } from 'cosmjs-types/tendermint/types/validator';
import { makePartSet } from '../../../app/consensus/encoding/block.js';
import { proposalSignBytes, voteSignBytes } from '../../../app/consensus/encoding/canonical.js';
import { timestampFromMs } from '../../../app/consensus/encoding/time.js';
import { createEd25519Verifier, ed25519KeyFromSeed, type Ed25519Key } from '../../../app/consensus/engine/crypto.js';
import { createEngine, type Engine } from '../../../app/consensus/engine/engine.js';
import { ZERO_BLOCK_ID } from '../../../app/consensus/engine/ids.js';
import { newValidatorSet, proposerForRound } from '../../../app/consensus/engine/proposer.js';
import type { Effect, EngineConfig, EngineEvent } from '../../../app/consensus/engine/types.js';
import { addressFromEd25519, bytesEqual } from '../../../app/consensus/validators.js';

export const CHAIN = 'guts-test';
export const T0 = 1_700_000_000_000;
export const verify = createEd25519Verifier();

export interface TestValidator {
  key: Ed25519Key;
  address: Uint8Array;
  /** Index in the (sorted) validator set. */
  index: number;
}

export function makeValidators(powers: number[], seedBase = 1): { set: ValidatorSet; vals: TestValidator[] } {
  const keys = powers.map((_, i) => ed25519KeyFromSeed(new Uint8Array(32).fill(seedBase + i)));
  const set = newValidatorSet(keys.map((k, i) => ({ address: addressFromEd25519(k.pubKey), pubKey: { ed25519: k.pubKey }, votingPower: BigInt(powers[i]), proposerPriority: 0n })));
  const vals = keys.map((key) => {
    const address = addressFromEd25519(key.pubKey);
    return { key, address, index: set.validators.findIndex((v) => bytesEqual(v.address, address)) };
  });
  return { set, vals: vals.sort((a, b) => a.index - b.index) };
}

export function block(tag: string): { bytes: Uint8Array; blockId: BlockID } {
  const bytes = new TextEncoder().encode(tag);
  return { bytes, blockId: { hash: sha256(bytes), partSetHeader: makePartSet(bytes).header } };
}

export function vote(v: TestValidator, type: 'prevote' | 'precommit', height: bigint, round: number, blockId: BlockID = ZERO_BLOCK_ID, chainId = CHAIN): Vote {
  const unsigned: Vote = {
    type: type === 'prevote' ? SignedMsgType.SIGNED_MSG_TYPE_PREVOTE : SignedMsgType.SIGNED_MSG_TYPE_PRECOMMIT,
    height,
    round,
    blockId,
    timestamp: timestampFromMs(T0 + round),
    validatorAddress: v.address,
    validatorIndex: v.index,
    signature: new Uint8Array(0),
    extension: new Uint8Array(0),
    extensionSignature: new Uint8Array(0),
  };
  return { ...unsigned, signature: v.key.sign(voteSignBytes(chainId, unsigned)) };
}

export function proposal(v: TestValidator, height: bigint, round: number, blockId: BlockID, polRound = -1, chainId = CHAIN): Proposal {
  const p: Proposal = { type: SignedMsgType.SIGNED_MSG_TYPE_PROPOSAL, height, round, polRound, blockId, timestamp: timestampFromMs(T0), signature: new Uint8Array(0) };
  return { ...p, signature: v.key.sign(proposalSignBytes(chainId, p)) };
}

export function proposerOf(set: ValidatorSet, vals: TestValidator[], round: number): TestValidator {
  const p = proposerForRound(set, round);
  return vals.find((v) => bytesEqual(v.address, p.address))!;
}

export const ofType = <T extends Effect['type']>(effects: Effect[], type: T) => effects.filter((e): e is Extract<Effect, { type: T }> => e.type === type);

/**
 * One engine driven by hand: `feed` hands it an event and answers signing and validation
 * requests at once (signing with the validator's key, every block valid unless listed
 * in `invalid`), returning every effect produced along the way.
 */
export class Driver {
  readonly engine: Engine;
  readonly log: EngineEvent[] = [];
  now = T0;
  readonly invalid = new Set<string>();

  constructor(
    readonly me: TestValidator | undefined,
    readonly set: ValidatorSet,
    config: Partial<EngineConfig> = {},
  ) {
    this.engine = createEngine({ chainId: CHAIN, pubKey: me?.key.pubKey, verify, config });
  }

  feed(e: EngineEvent): Effect[] {
    const all: Effect[] = [];
    const queue: EngineEvent[] = [e];
    while (queue.length) {
      const ev = queue.shift()!;
      this.log.push(ev);
      const effects = this.engine.handle(ev);
      all.push(...effects);
      for (const eff of effects) {
        if (eff.type === 'signVote') queue.push({ type: 'signedVote', now: this.now, vote: { ...eff.vote, signature: this.me!.key.sign(voteSignBytes(CHAIN, eff.vote)) } });
        if (eff.type === 'signProposal') queue.push({ type: 'signedProposal', now: this.now, proposal: { ...eff.proposal, signature: this.me!.key.sign(proposalSignBytes(CHAIN, eff.proposal)) } });
        if (eff.type === 'validateBlock') {
          const tag = new TextDecoder().decode(eff.block);
          queue.push({ type: 'blockValidated', now: this.now, height: eff.height, blockId: eff.blockId, valid: !this.invalid.has(tag) });
        }
      }
    }
    return all;
  }

  start(height = 1n): Effect[] {
    return this.feed({ type: 'start', now: this.now, height, validators: this.set });
  }

  vote(v: Vote, from = 'peer'): Effect[] {
    return this.feed({ type: 'vote', now: this.now, from, vote: v });
  }

  propose(p: Proposal, bytes: Uint8Array, from = 'peer'): Effect[] {
    return this.feed({ type: 'proposal', now: this.now, from, proposal: p, block: bytes });
  }

  timeout(step: 'propose' | 'prevote' | 'precommit' | 'commit', round: number, height = 1n): Effect[] {
    return this.feed({ type: 'timeout', now: this.now, timeout: { height, round, step } });
  }

  /** Our own votes broadcast in these effects. */
  static ownVotes(effects: Effect[], me: TestValidator): Vote[] {
    return ofType(effects, 'broadcast')
      .map((b) => b.message)
      .filter((m): m is { type: 'vote'; vote: Vote } => m.type === 'vote' && bytesEqual(m.vote.validatorAddress, me.address))
      .map((m) => m.vote);
  }
}
