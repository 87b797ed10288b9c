/** Accounts as `simd query auth account -o json` prints them. */
import { BaseAccount, ModuleAccount } from 'cosmjs-types/cosmos/auth/v1beta1/auth';
import type { Any } from 'cosmjs-types/google/protobuf/any';
import { anyToJson } from './proto-json.js';

function baseAccountJson(a: BaseAccount) {
  return {
    address: a.address,
    pub_key: a.pubKey ? anyToJson(a.pubKey) : null,
    account_number: a.accountNumber.toString(),
    sequence: a.sequence.toString(),
  };
}

export function accountJson(any: Any): unknown {
  switch (any.typeUrl) {
    case '/cosmos.auth.v1beta1.BaseAccount':
      return { '@type': any.typeUrl, ...baseAccountJson(BaseAccount.decode(any.value)) };
    case '/cosmos.auth.v1beta1.ModuleAccount': {
      const m = ModuleAccount.decode(any.value);
      return { '@type': any.typeUrl, base_account: m.baseAccount ? baseAccountJson(m.baseAccount) : null, name: m.name, permissions: m.permissions };
    }
    default:
      return anyToJson(any);
  }
}
