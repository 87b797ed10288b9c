import { Params } from 'cosmjs-types/cosmos/auth/v1beta1/auth';
import { GenesisError, expectObject, expectUint, rejectUnknownKeys } from '../../app/chain/genesis-error.js';

export type AuthParams = Params;

/** cosmos-sdk x/auth defaults. */
export function defaultAuthParams(): AuthParams {
  return {
    maxMemoCharacters: 256n,
    txSigLimit: 7n,
    txSizeCostPerByte: 10n,
    sigVerifyCostEd25519: 590n,
    sigVerifyCostSecp256k1: 1000n,
  };
}

export function validateAuthParams(p: AuthParams, path = 'params'): void {
  if (p.maxMemoCharacters < 1n) throw new GenesisError(`${path}.max_memo_characters`, 'must be positive');
  if (p.txSigLimit < 1n) throw new GenesisError(`${path}.tx_sig_limit`, 'must be positive');
  if (p.txSizeCostPerByte < 1n) throw new GenesisError(`${path}.tx_size_cost_per_byte`, 'must be positive');
  if (p.sigVerifyCostSecp256k1 < 1n) throw new GenesisError(`${path}.sig_verify_cost_secp256k1`, 'must be positive');
  if (p.sigVerifyCostEd25519 < 1n) throw new GenesisError(`${path}.sig_verify_cost_ed25519`, 'must be positive');
}

const FIELDS = ['max_memo_characters', 'tx_sig_limit', 'tx_size_cost_per_byte', 'sig_verify_cost_ed25519', 'sig_verify_cost_secp256k1'];

export function authParamsFromJson(raw: unknown, path: string): AuthParams {
  const o = expectObject(raw, path);
  rejectUnknownKeys(o, FIELDS, path);
  const p: AuthParams = {
    maxMemoCharacters: expectUint(o.max_memo_characters, `${path}.max_memo_characters`),
    txSigLimit: expectUint(o.tx_sig_limit, `${path}.tx_sig_limit`),
    txSizeCostPerByte: expectUint(o.tx_size_cost_per_byte, `${path}.tx_size_cost_per_byte`),
    sigVerifyCostEd25519: expectUint(o.sig_verify_cost_ed25519, `${path}.sig_verify_cost_ed25519`),
    sigVerifyCostSecp256k1: expectUint(o.sig_verify_cost_secp256k1, `${path}.sig_verify_cost_secp256k1`),
  };
  validateAuthParams(p, path);
  return p;
}

export function authParamsToJson(p: AuthParams): Record<string, string> {
  return {
    max_memo_characters: p.maxMemoCharacters.toString(),
    tx_sig_limit: p.txSigLimit.toString(),
    tx_size_cost_per_byte: p.txSizeCostPerByte.toString(),
    sig_verify_cost_ed25519: p.sigVerifyCostEd25519.toString(),
    sig_verify_cost_secp256k1: p.sigVerifyCostSecp256k1.toString(),
  };
}
