/**
 * Slashing parameters (DESIGN §5 defaults; rates in basis points). In state under
 * `slashing/params`, in genesis, and governable through the module's ParamSpace.
 */
import { Params } from '../../proto/gen/guts/slashing/v1/slashing.js';
import { GenesisError, expectObject, expectString, rejectUnknownKeys } from '../../app/chain/genesis-error.js';
import { ErrInvalidParam } from './errors.js';

export type SlashingParams = Params;

export function defaultSlashingParams(): SlashingParams {
  return {
    signedBlocksWindow: 100n,
    minSignedPerWindowBp: 5_000,
    downtimeJailDuration: 600n,
    slashFractionDoubleSignBp: 500,
    slashFractionDowntimeBp: 100,
  };
}

function uint(name: string, v: string, min: bigint, max: bigint): bigint {
  if (typeof v !== 'string' || !/^(0|[1-9][0-9]*)$/.test(v)) throw ErrInvalidParam.wrap(`${name}: ${JSON.stringify(v)} is not a non-negative integer`);
  const n = BigInt(v);
  if (n < min || n > max) throw ErrInvalidParam.wrap(`${name}: ${v} is outside ${min}..${max}`);
  return n;
}

type Spec = { get(p: SlashingParams): string; set(p: SlashingParams, v: string): void };

export const SLASHING_PARAM_SPECS: Record<string, Spec> = {
  signed_blocks_window: { get: (p) => p.signedBlocksWindow.toString(), set: (p, v) => void (p.signedBlocksWindow = uint('signed_blocks_window', v, 10n, 100_000n)) },
  min_signed_per_window: { get: (p) => String(p.minSignedPerWindowBp), set: (p, v) => void (p.minSignedPerWindowBp = Number(uint('min_signed_per_window', v, 0n, 10_000n))) },
  downtime_jail_duration: { get: (p) => p.downtimeJailDuration.toString(), set: (p, v) => void (p.downtimeJailDuration = uint('downtime_jail_duration', v, 1n, 315_360_000n)) },
  slash_fraction_double_sign: { get: (p) => String(p.slashFractionDoubleSignBp), set: (p, v) => void (p.slashFractionDoubleSignBp = Number(uint('slash_fraction_double_sign', v, 0n, 10_000n))) },
  slash_fraction_downtime: { get: (p) => String(p.slashFractionDowntimeBp), set: (p, v) => void (p.slashFractionDowntimeBp = Number(uint('slash_fraction_downtime', v, 0n, 10_000n))) },
};

export function slashingParamsToJson(p: SlashingParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, spec] of Object.entries(SLASHING_PARAM_SPECS)) out[name] = spec.get(p);
  return out;
}

export function slashingParamsFromJson(raw: unknown, path: string): SlashingParams {
  const o = expectObject(raw, path);
  const names = Object.keys(SLASHING_PARAM_SPECS);
  rejectUnknownKeys(o, names, path);
  const p = defaultSlashingParams();
  for (const name of names) {
    try {
      SLASHING_PARAM_SPECS[name]!.set(p, expectString(o[name], `${path}.${name}`));
    } catch (e) {
      if (e instanceof GenesisError) throw e;
      throw new GenesisError(`${path}.${name}`, (e as Error).message);
    }
  }
  return p;
}
