/**
 * Client-side helpers for the `guts tx|query staking|slashing` commands: JSON views of
 * the records (snake_case, as in genesis), message codecs for the tx preview, reading a
 * node's consensus key from its home, and the single-coin amount argument.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fromBase64 } from '@cosmjs/encoding';
import type { QueryDelegationsResponse, ValidatorInfo } from '../../proto/gen/guts/staking/v1/query.js';
import { BondStatus } from '../../proto/gen/guts/staking/v1/staking.js';
import * as Tx from '../../proto/gen/guts/staking/v1/tx.js';
import { MsgUnjail } from '../../proto/gen/guts/slashing/v1/tx.js';
import { ErrInvalidAmount, ErrInvalidPubKey } from './errors.js';
import { recordToJson } from './json.js';
import * as S from './genesis-spec.js';
import { checkPubKey } from './validate.js';

export const MSG = {
  createValidator: '/guts.staking.v1.MsgCreateValidator',
  editValidator: '/guts.staking.v1.MsgEditValidator',
  stake: '/guts.staking.v1.MsgStake',
  unstake: '/guts.staking.v1.MsgUnstake',
  redelegate: '/guts.staking.v1.MsgRedelegate',
  withdrawRewards: '/guts.staking.v1.MsgWithdrawRewards',
  unjail: '/guts.slashing.v1.MsgUnjail',
} as const;

type Codec = { decode(b: Uint8Array): unknown; toJSON(m: unknown): unknown };

/** typeUrl → codec, for the CLI's tx preview (registerJsonCodec). */
export const MESSAGE_JSON_CODECS: [string, Codec][] = [
  [MSG.createValidator, Tx.MsgCreateValidator as unknown as Codec],
  [MSG.editValidator, Tx.MsgEditValidator as unknown as Codec],
  [MSG.stake, Tx.MsgStake as unknown as Codec],
  [MSG.unstake, Tx.MsgUnstake as unknown as Codec],
  [MSG.redelegate, Tx.MsgRedelegate as unknown as Codec],
  [MSG.withdrawRewards, Tx.MsgWithdrawRewards as unknown as Codec],
  [MSG.unjail, MsgUnjail as unknown as Codec],
];

export const STATUS_BY_NAME: Record<string, BondStatus> = {
  bonded: BondStatus.BOND_STATUS_BONDED,
  unbonding: BondStatus.BOND_STATUS_UNBONDING,
  unbonded: BondStatus.BOND_STATUS_UNBONDED,
};

export function validatorJson(info: ValidatorInfo): Record<string, unknown> {
  return { ...recordToJson(S.VALIDATOR_SPEC, info.validator!), power: info.power.toString() };
}

export function delegationsJson(r: QueryDelegationsResponse): Record<string, unknown> {
  return {
    delegations: r.delegations.map((d) => ({ ...recordToJson(S.DELEGATION_SPEC, d.delegation!), tokens: d.tokens, rewards: d.rewards })),
    unbonding: r.unbonding.map((e) => recordToJson(S.UNBONDING_SPEC, e)),
    redelegations: r.redelegations.map((x) => recordToJson(S.REDELEGATION_SPEC, x)),
    pending: r.pending.map((p) => recordToJson(S.PENDING_SPEC, p)),
  };
}

/** `100000ugut` → one coin; staking takes a single denom. */
export function parseStakeAmount(s: string, what = 'amount'): { denom: string; amount: string } {
  const m = /^([1-9][0-9]{0,77})([a-zA-Z][a-zA-Z0-9/:._-]{2,127})$/.exec(s.trim());
  if (!m) throw ErrInvalidAmount.wrap(`${what} ${JSON.stringify(s)}: expected one positive coin such as 100000ugut`);
  return { amount: m[1]!, denom: m[2]! };
}

/** The ed25519 consensus key: `--pubkey` (base64) or the node home's priv_validator_key.json. */
export async function consensusPubkey(home: string, flag: string | undefined): Promise<Uint8Array> {
  let b64 = flag;
  const file = join(home, 'config', 'priv_validator_key.json');
  if (b64 === undefined) {
    let j: { pub_key?: { value?: string } };
    try {
      j = JSON.parse(await readFile(file, 'utf8')) as typeof j;
    } catch (e) {
      throw ErrInvalidPubKey.wrap(`no --pubkey and cannot read ${file} (${(e as Error).message}); pass the node's key as --pubkey <base64>`);
    }
    b64 = j.pub_key?.value;
    if (!b64) throw ErrInvalidPubKey.wrap(`${file} has no pub_key.value`);
  }
  let key: Uint8Array;
  try {
    key = fromBase64(b64);
  } catch {
    throw ErrInvalidPubKey.wrap(`--pubkey ${JSON.stringify(b64)} is not base64`);
  }
  checkPubKey(key);
  return key;
}
