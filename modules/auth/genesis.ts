import { BaseAccount } from 'cosmjs-types/cosmos/auth/v1beta1/auth';
import { PubKey } from 'cosmjs-types/cosmos/crypto/secp256k1/keys';
import { fromBase64, toBase64 } from '@cosmjs/encoding';
import type { Context } from '../../app/chain/context.js';
import { addressBytes, moduleAddress } from '../../app/chain/address.js';
import { GenesisError, expectArray, expectObject, expectString, expectUint, rejectUnknownKeys } from '../../app/chain/genesis-error.js';
import { authParamsFromJson, authParamsToJson, defaultAuthParams, type AuthParams } from './params.js';
import type { AuthKeeper } from './keeper.js';

const SECP256K1_PUBKEY = '/cosmos.crypto.secp256k1.PubKey';

export interface AuthGenesis {
  params: AuthParams;
  accounts: BaseAccount[];
}

export function defaultAuthGenesis(): AuthGenesis {
  return { params: defaultAuthParams(), accounts: [] };
}

function pubKeyFromJson(raw: unknown, path: string): BaseAccount['pubKey'] {
  if (raw === null || raw === undefined) return undefined;
  const o = expectObject(raw, path);
  rejectUnknownKeys(o, ['@type', 'key'], path);
  if (o['@type'] !== SECP256K1_PUBKEY) throw new GenesisError(`${path}.@type`, `only ${SECP256K1_PUBKEY} is supported`);
  let key: Uint8Array;
  try {
    key = fromBase64(expectString(o.key, `${path}.key`));
  } catch {
    throw new GenesisError(`${path}.key`, 'not valid base64');
  }
  if (key.length !== 33) throw new GenesisError(`${path}.key`, `expected a 33-byte compressed key, got ${key.length} bytes`);
  return { typeUrl: SECP256K1_PUBKEY, value: PubKey.encode({ key }).finish() };
}

export function validateAuthGenesis(raw: unknown, path: string): AuthGenesis {
  const o = expectObject(raw, path);
  rejectUnknownKeys(o, ['params', 'accounts'], path);
  const params = authParamsFromJson(o.params, `${path}.params`);
  const seenAddr = new Set<string>();
  const seenNum = new Set<bigint>();
  const accounts = expectArray(o.accounts ?? [], `${path}.accounts`).map((a, i) => {
    const p = `${path}.accounts[${i}]`;
    const ao = expectObject(a, p);
    rejectUnknownKeys(ao, ['address', 'account_number', 'sequence', 'pub_key'], p);
    const address = expectString(ao.address, `${p}.address`);
    try {
      addressBytes(address);
    } catch (e) {
      throw new GenesisError(`${p}.address`, (e as Error).message);
    }
    if (seenAddr.has(address)) throw new GenesisError(`${p}.address`, `duplicate account ${address}`);
    seenAddr.add(address);
    const accountNumber = expectUint(ao.account_number, `${p}.account_number`);
    if (seenNum.has(accountNumber)) throw new GenesisError(`${p}.account_number`, `duplicate account number ${accountNumber}`);
    seenNum.add(accountNumber);
    return BaseAccount.fromPartial({
      address,
      accountNumber,
      sequence: expectUint(ao.sequence ?? '0', `${p}.sequence`),
      pubKey: pubKeyFromJson(ao.pub_key, `${p}.pub_key`),
    });
  });
  return { params, accounts };
}

/** Module accounts (e.g. the fee collector) are created at genesis, as cosmos-sdk does, unless genesis lists them. */
export async function initAuthGenesis(keeper: AuthKeeper, ctx: Context, g: AuthGenesis, moduleAccounts: string[] = []): Promise<void> {
  await keeper.setParams(ctx, g.params);
  let next = 0n;
  for (const acc of g.accounts) {
    await keeper.setAccount(ctx, acc);
    if (acc.accountNumber >= next) next = acc.accountNumber + 1n;
  }
  await keeper.setNextAccountNumber(ctx, next);
  for (const name of moduleAccounts) {
    const address = moduleAddress(name);
    if (!(await keeper.hasAccount(ctx, address))) await keeper.newAccount(ctx, address);
  }
}

export async function exportAuthGenesis(keeper: AuthKeeper, ctx: Context): Promise<AuthGenesis> {
  const accounts: BaseAccount[] = [];
  for await (const a of keeper.accounts(ctx)) accounts.push(a);
  accounts.sort((a, b) => (a.accountNumber < b.accountNumber ? -1 : a.accountNumber > b.accountNumber ? 1 : 0));
  return { params: await keeper.getParams(ctx), accounts };
}

export function authGenesisToJson(g: AuthGenesis): unknown {
  return {
    params: authParamsToJson(g.params),
    accounts: g.accounts.map((a) => ({
      address: a.address,
      account_number: a.accountNumber.toString(),
      sequence: a.sequence.toString(),
      pub_key: a.pubKey ? { '@type': a.pubKey.typeUrl, key: toBase64(PubKey.decode(a.pubKey.value).key) } : null,
    })),
  };
}
