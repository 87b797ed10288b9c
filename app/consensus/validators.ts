/**
 * Validator sets as CometBFT orders and hashes them (types/validator_set.go): sorted
 * by voting power descending, then address ascending; an address is the first 20
 * bytes of SHA-256 of the ed25519 public key (crypto/ed25519 PubKey.Address).
 * Browser-safe. Proposer priorities are left at 0: the Tendermint engine's
 * proposer rotation will own them.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import type { ValidatorUpdate } from 'cosmjs-types/tendermint/abci/types';
import type { PublicKey } from 'cosmjs-types/tendermint/crypto/keys';
import type { Validator, ValidatorSet } from 'cosmjs-types/tendermint/types/validator';
import { validatorSetHash } from './encoding/hashes.js';
import { ED25519_PUBKEY_LENGTH } from './ed25519.js';

/** CometBFT `MaxTotalVotingPower` (int64 max / 8). */
export const MAX_TOTAL_VOTING_POWER = 1_152_921_504_606_846_975n;

export class ValidatorSetError extends Error {
  override readonly name = 'ValidatorSetError';
}

export function addressFromEd25519(pubKey: Uint8Array): Uint8Array {
  if (pubKey.length !== ED25519_PUBKEY_LENGTH) throw new ValidatorSetError(`ed25519 public key must be ${ED25519_PUBKEY_LENGTH} bytes, got ${pubKey.length}`);
  return sha256(pubKey).subarray(0, 20);
}

export function ed25519Of(pubKey: PublicKey): Uint8Array {
  if (!pubKey.ed25519) throw new ValidatorSetError('validator public key is not ed25519: only ed25519 consensus keys are supported');
  return pubKey.ed25519;
}

export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && compareBytes(a, b) === 0;
}

/** CometBFT `ValidatorsByVotingPower`. */
export function sortValidators(vals: Validator[]): Validator[] {
  return [...vals].sort((a, b) =>
    a.votingPower === b.votingPower ? compareBytes(a.address, b.address) : a.votingPower > b.votingPower ? -1 : 1,
  );
}

export function totalVotingPower(set: Pick<ValidatorSet, 'validators'>): bigint {
  return set.validators.reduce((sum, v) => sum + v.votingPower, 0n);
}

function withTotals(validators: Validator[]): ValidatorSet {
  const sorted = sortValidators(validators);
  const total = totalVotingPower({ validators: sorted });
  if (total > MAX_TOTAL_VOTING_POWER) throw new ValidatorSetError(`total voting power ${total} exceeds the maximum ${MAX_TOTAL_VOTING_POWER}`);
  return { validators: sorted, proposer: sorted[0], totalVotingPower: total };
}

function validatorFromUpdate(u: ValidatorUpdate): Validator {
  const pub = ed25519Of(u.pubKey);
  if (u.power < 0n) throw new ValidatorSetError(`validator ${hex(addressFromEd25519(pub))} has negative power ${u.power}`);
  return { address: addressFromEd25519(pub), pubKey: { ed25519: pub }, votingPower: u.power, proposerPriority: 0n };
}

function hex(b: Uint8Array): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('').toUpperCase();
}

/** The genesis set (InitChain validators). Power-0 entries are rejected, as CometBFT does. */
export function validatorSetFromUpdates(updates: readonly ValidatorUpdate[]): ValidatorSet {
  const vals = updates.map(validatorFromUpdate);
  const seen = new Set<string>();
  for (const v of vals) {
    const a = hex(v.address);
    if (seen.has(a)) throw new ValidatorSetError(`duplicate validator ${a}`);
    if (v.votingPower === 0n) throw new ValidatorSetError(`genesis validator ${a} has zero power`);
    seen.add(a);
  }
  return withTotals(vals);
}

/**
 * CometBFT `ValidatorSet.UpdateWithChangeSet`: power 0 removes, otherwise add or
 * change power. Throws on duplicates, removal of an unknown validator or an empty result.
 */
export function applyValidatorUpdates(set: ValidatorSet, updates: readonly ValidatorUpdate[]): ValidatorSet {
  const byAddr = new Map(set.validators.map((v) => [hex(v.address), v]));
  const seen = new Set<string>();
  for (const u of updates) {
    const v = validatorFromUpdate(u);
    const a = hex(v.address);
    if (seen.has(a)) throw new ValidatorSetError(`duplicate validator update for ${a}`);
    seen.add(a);
    if (v.votingPower === 0n) {
      if (!byAddr.delete(a)) throw new ValidatorSetError(`cannot remove validator ${a}: not in the set`);
    } else byAddr.set(a, v);
  }
  if (byAddr.size === 0) throw new ValidatorSetError('validator updates would leave the set empty');
  return withTotals([...byAddr.values()]);
}

export function hashValidatorSet(set: Pick<ValidatorSet, 'validators'>): Uint8Array {
  return validatorSetHash(set.validators.map((v) => ({ pubKey: v.pubKey, votingPower: v.votingPower })));
}

export function findValidator(set: Pick<ValidatorSet, 'validators'>, address: Uint8Array): { index: number; validator: Validator } | undefined {
  const index = set.validators.findIndex((v) => bytesEqual(v.address, address));
  return index < 0 ? undefined : { index, validator: set.validators[index] };
}
