/** Slashing genesis: parameters and every validator's signing info (liveness window). */
import { toHex } from '@cosmjs/encoding';
import type { Context } from '../../app/chain/context.js';
import { GenesisError, expectArray, expectObject, rejectUnknownKeys } from '../../app/chain/genesis-error.js';
import type { ValidatorSigningInfo } from '../../proto/gen/guts/slashing/v1/slashing.js';
import { recordFromJson, recordToJson, type Spec } from '../staking/json.js';
import type { SlashingKeeper } from './keeper.js';
import { defaultSlashingParams, slashingParamsFromJson, slashingParamsToJson, type SlashingParams } from './params.js';

export interface SlashingGenesis {
  params: SlashingParams;
  signingInfos: ValidatorSigningInfo[];
}

const SIGNING_INFO_SPEC: Spec = [
  ['consensus_address', 'consensusAddress', { kind: 'bytes', length: 20 }],
  ['validator_address', 'validatorAddress', { kind: 'address' }],
  ['start_height', 'startHeight', { kind: 'u64' }],
  ['index_offset', 'indexOffset', { kind: 'u64' }],
  ['missed_blocks_counter', 'missedBlocksCounter', { kind: 'u64' }],
  ['missed_bitmap', 'missedBitmap', { kind: 'bytes' }],
  ['tombstoned', 'tombstoned', { kind: 'bool' }],
];

export function defaultSlashingGenesis(): SlashingGenesis {
  return { params: defaultSlashingParams(), signingInfos: [] };
}

export function validateSlashingGenesis(raw: unknown, path: string): SlashingGenesis {
  const o = expectObject(raw, path);
  rejectUnknownKeys(o, ['params', 'signing_infos'], path);
  const params = slashingParamsFromJson(o.params, `${path}.params`);
  const seen = new Set<string>();
  const signingInfos = expectArray(o.signing_infos ?? [], `${path}.signing_infos`).map((r, i) => {
    const p = `${path}.signing_infos[${i}]`;
    const info = recordFromJson<ValidatorSigningInfo>(SIGNING_INFO_SPEC, r, p);
    const k = toHex(info.consensusAddress);
    if (seen.has(k)) throw new GenesisError(`${p}.consensus_address`, 'duplicate signing info');
    seen.add(k);
    let missed = 0n;
    for (const b of info.missedBitmap) for (let bit = 0; bit < 8; bit++) if (b & (1 << bit)) missed++;
    if (missed !== info.missedBlocksCounter) throw new GenesisError(`${p}.missed_blocks_counter`, `is ${info.missedBlocksCounter} but the bitmap marks ${missed} missed blocks`);
    return info;
  });
  return { params, signingInfos };
}

export function slashingGenesisToJson(g: SlashingGenesis): unknown {
  return { params: slashingParamsToJson(g.params), signing_infos: g.signingInfos.map((i) => recordToJson(SIGNING_INFO_SPEC, i)) };
}

export async function initSlashingGenesis(ctx: Context, keeper: SlashingKeeper, g: SlashingGenesis): Promise<void> {
  await keeper.setParams(ctx, g.params);
  for (const info of g.signingInfos) await keeper.setSigningInfo(ctx, info);
}

export async function exportSlashingGenesis(ctx: Context, keeper: SlashingKeeper): Promise<SlashingGenesis> {
  const signingInfos: ValidatorSigningInfo[] = [];
  for await (const i of keeper.signingInfos(ctx)) signingInfos.push(i);
  return { params: await keeper.getParams(ctx), signingInfos };
}
