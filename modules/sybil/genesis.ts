import { fromHex, toHex } from '@cosmjs/encoding';
import type { Context } from '../../app/chain/context.js';
import { addressBytes } from '../../app/chain/address.js';
import { CodedError } from '../../app/errors.js';
import { GenesisError, expectArray, expectObject, expectString, expectUint, rejectUnknownKeys } from '../../app/chain/genesis-error.js';
import type { SybilKeeper } from './keeper.js';
import { defaultSybilParams, SYBIL_PARAM_NAMES, sybilParamsToJson, withSybilParam, type SybilParams } from './params.js';
import type { ReputationRecord } from './reputation.js';

export interface SybilGenesis {
  params: SybilParams;
  /** Sorted by address bytes. */
  reputations: { address: string; reputation: ReputationRecord }[];
  /** Recent block hashes, ascending height (so PoW challenges stay valid across an export). */
  blockHashes: { height: bigint; hash: Uint8Array }[];
  /** Spent solutions still inside the window, sorted by solution bytes. */
  usedPow: { solution: Uint8Array; blockHeight: bigint }[];
}

export function defaultSybilGenesis(): SybilGenesis {
  return { params: defaultSybilParams(), reputations: [], blockHashes: [], usedPow: [] };
}

function hex32(raw: unknown, path: string): Uint8Array {
  const s = expectString(raw, path);
  if (!/^[0-9a-f]{64}$/.test(s)) throw new GenesisError(path, 'expected 32 bytes as 64 lower-case hex characters');
  return fromHex(s);
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

function paramsFromJson(raw: unknown, path: string): SybilParams {
  const po = expectObject(raw, path);
  rejectUnknownKeys(po, [...SYBIL_PARAM_NAMES], path);
  let p = defaultSybilParams();
  for (const name of SYBIL_PARAM_NAMES) {
    if (po[name] === undefined) throw new GenesisError(`${path}.${name}`, 'missing');
    try {
      p = withSybilParam(p, name, expectString(po[name], `${path}.${name}`));
    } catch (e) {
      if (e instanceof CodedError) throw new GenesisError(`${path}.${name}`, e.message);
      throw e;
    }
  }
  return p;
}

export function validateSybilGenesis(raw: unknown, path: string): SybilGenesis {
  const o = expectObject(raw, path);
  rejectUnknownKeys(o, ['params', 'reputations', 'block_hashes', 'used_pow'], path);
  const params = paramsFromJson(o.params, `${path}.params`);
  const seen = new Set<string>();
  const reputations = expectArray(o.reputations ?? [], `${path}.reputations`).map((r, i) => {
    const p = `${path}.reputations[${i}]`;
    const ro = expectObject(r, p);
    rejectUnknownKeys(ro, ['address', 'first_seen_height', 'successful_actions', 'slashes'], p);
    const address = expectString(ro.address, `${p}.address`);
    try {
      addressBytes(address);
    } catch (e) {
      throw new GenesisError(`${p}.address`, (e as Error).message);
    }
    if (seen.has(address)) throw new GenesisError(`${p}.address`, `duplicate reputation for ${address}`);
    seen.add(address);
    return {
      address,
      reputation: {
        // ≥ 1: every record is created by a block, and an all-zero record would encode to nothing
        firstSeenHeight: expectUint(ro.first_seen_height, `${p}.first_seen_height`, { min: 1n, max: (1n << 63n) - 1n }),
        successfulActions: expectUint(ro.successful_actions ?? '0', `${p}.successful_actions`, { max: (1n << 64n) - 1n }),
        slashes: expectUint(ro.slashes ?? '0', `${p}.slashes`, { max: (1n << 64n) - 1n }),
      },
    };
  });
  reputations.sort((a, b) => compareBytes(addressBytes(a.address), addressBytes(b.address)));
  let prevHeight = 0n;
  const blockHashes = expectArray(o.block_hashes ?? [], `${path}.block_hashes`).map((b, i) => {
    const p = `${path}.block_hashes[${i}]`;
    const bo = expectObject(b, p);
    rejectUnknownKeys(bo, ['height', 'hash'], p);
    const height = expectUint(bo.height, `${p}.height`, { min: 1n, max: (1n << 63n) - 1n });
    if (height <= prevHeight) throw new GenesisError(`${p}.height`, 'block hashes must be in ascending height order without duplicates');
    prevHeight = height;
    return { height, hash: hex32(bo.hash, `${p}.hash`) };
  });
  let prev: Uint8Array | undefined;
  const usedPow = expectArray(o.used_pow ?? [], `${path}.used_pow`).map((u, i) => {
    const p = `${path}.used_pow[${i}]`;
    const uo = expectObject(u, p);
    rejectUnknownKeys(uo, ['solution', 'block_height'], p);
    const solution = hex32(uo.solution, `${p}.solution`);
    if (prev && compareBytes(prev, solution) >= 0) throw new GenesisError(`${p}.solution`, 'solutions must be sorted without duplicates');
    prev = solution;
    return { solution, blockHeight: expectUint(uo.block_height, `${p}.block_height`, { min: 1n, max: (1n << 63n) - 1n }) };
  });
  return { params, reputations, blockHashes, usedPow };
}

export async function initSybilGenesis(keeper: SybilKeeper, ctx: Context, g: SybilGenesis): Promise<void> {
  await keeper.setParams(ctx, g.params);
  await keeper.setChainId(ctx);
  for (const r of g.reputations) await keeper.setReputation(ctx, r.address, r.reputation);
  for (const b of g.blockHashes) await keeper.setBlockHash(ctx, b.height, b.hash);
  for (const u of g.usedPow) await keeper.markSolutionUsed(ctx, u.solution, u.blockHeight);
}

export async function exportSybilGenesis(keeper: SybilKeeper, ctx: Context): Promise<SybilGenesis> {
  const g: SybilGenesis = { params: await keeper.getParams(ctx), reputations: [], blockHashes: [], usedPow: [] };
  for await (const r of keeper.reputations(ctx)) g.reputations.push(r);
  for await (const b of keeper.blockHashes(ctx)) g.blockHashes.push(b);
  for await (const u of keeper.usedSolutions(ctx)) g.usedPow.push(u);
  return g;
}

export function sybilGenesisToJson(g: SybilGenesis): unknown {
  return {
    params: sybilParamsToJson(g.params),
    reputations: g.reputations.map((r) => ({
      address: r.address,
      first_seen_height: r.reputation.firstSeenHeight.toString(),
      successful_actions: r.reputation.successfulActions.toString(),
      slashes: r.reputation.slashes.toString(),
    })),
    block_hashes: g.blockHashes.map((b) => ({ height: b.height.toString(), hash: toHex(b.hash) })),
    used_pow: g.usedPow.map((u) => ({ solution: toHex(u.solution), block_height: u.blockHeight.toString() })),
  };
}
