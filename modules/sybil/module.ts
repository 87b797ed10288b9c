import type { AppModule, ParamSpace } from '../../app/chain/module.js';
import type { GatedMsg, RepoMembership, StakeSource } from './expected.js';
import { sybilGate } from './gate.js';
import { SybilKeeper } from './keeper.js';
import { defaultSybilGenesis, exportSybilGenesis, initSybilGenesis, sybilGenesisToJson, validateSybilGenesis, type SybilGenesis } from './genesis.js';
import { getSybilParam, SYBIL_PARAM_NAMES, withSybilParam } from './params.js';
import { sybilQueries } from './queries.js';
import { stakingGatedMsgs } from '../staking/gates.js';
import { govGatedMsgs } from '../gov/gates.js';

/**
 * The `validator` and `governance` actions (MsgCreateValidator, MsgSubmitProposal) are
 * always gated; the chain's wiring adds the repo messages through `deps.gated`.
 * A type listed in `deps.gated` replaces the built-in entry for that type.
 */
export const CORE_GATED_MSGS: readonly GatedMsg[] = [...stakingGatedMsgs, ...govGatedMsgs];

function withCoreGates(gated: readonly GatedMsg[]): GatedMsg[] {
  const given = new Set(gated.map((g) => g.typeUrl));
  return [...gated, ...CORE_GATED_MSGS.filter((g) => !given.has(g.typeUrl))];
}

export interface SybilModuleDeps {
  stakes: StakeSource;
  repos: RepoMembership;
  /** Message types the gate checks besides CORE_GATED_MSGS (repo's create/push/collaboration messages, …). */
  gated: readonly GatedMsg[];
}

function sybilParamSpace(keeper: SybilKeeper): ParamSpace {
  return {
    names: () => [...SYBIL_PARAM_NAMES],
    get: async (ctx, name) => getSybilParam(await keeper.getParams(ctx), name),
    set: async (ctx, name, value) => keeper.setParams(ctx, withSybilParam(await keeper.getParams(ctx), name, value)),
  };
}

export function createSybilModule(deps: SybilModuleDeps): AppModule<SybilGenesis> & { keeper: SybilKeeper } {
  const keeper = new SybilKeeper(deps.stakes, deps.repos);
  return {
    name: 'sybil',
    keeper,
    queries: sybilQueries(keeper),
    defaultGenesis: defaultSybilGenesis,
    validateGenesis: validateSybilGenesis,
    genesisToJson: sybilGenesisToJson,
    initGenesis: (ctx, g) => initSybilGenesis(keeper, ctx, g),
    exportGenesis: (ctx) => exportSybilGenesis(keeper, ctx),
    beginBlock: (ctx) => keeper.beginBlock(ctx),
    params: sybilParamSpace(keeper),
    msgGates: [sybilGate(keeper, withCoreGates(deps.gated))],
  };
}
