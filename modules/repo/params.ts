/** Repo parameters: in state, in genesis, validated, governable through the `params` ParamSpace. */
import { Params } from '../../proto/gen/guts/repo/v1/repo.js';
import { ErrInvalidParam, ErrUnknownParam } from './errors.js';

export interface RepoParams {
  maxCollaborators: number;
  maxRefsPerRepo: bigint;
}

/** 50 collaborators and 10,000 refs per repository bound the state one creation fee buys. */
export function defaultRepoParams(): RepoParams {
  return { maxCollaborators: 50, maxRefsPerRepo: 10_000n };
}

interface Def {
  name: string;
  min: bigint;
  max: bigint;
  get(p: RepoParams): bigint | number;
  set(p: RepoParams, v: bigint): void;
}

const defs: Def[] = [
  { name: 'max_collaborators', min: 0n, max: 1000n, get: (p) => p.maxCollaborators, set: (p, v) => (p.maxCollaborators = Number(v)) },
  { name: 'max_refs_per_repo', min: 1n, max: 1_000_000n, get: (p) => p.maxRefsPerRepo, set: (p, v) => (p.maxRefsPerRepo = v) },
];

export const REPO_PARAM_NAMES: readonly string[] = defs.map((d) => d.name);

function defOf(name: string): Def {
  const d = defs.find((x) => x.name === name);
  if (!d) throw ErrUnknownParam.wrap(`repo has no parameter ${JSON.stringify(name)} (known: ${REPO_PARAM_NAMES.join(', ')})`);
  return d;
}

export function getRepoParam(p: RepoParams, name: string): string {
  return defOf(name).get(p).toString();
}

export function withRepoParam(p: RepoParams, name: string, value: string): RepoParams {
  const d = defOf(name);
  if (typeof value !== 'string' || !/^(0|[1-9][0-9]{0,18})$/.test(value) || BigInt(value) < d.min || BigInt(value) > d.max) {
    throw ErrInvalidParam.wrap(`${name} ${JSON.stringify(value)}: expected an integer from ${d.min} to ${d.max} as a decimal string`);
  }
  const next = { ...p };
  d.set(next, BigInt(value));
  return next;
}

export function repoParamsToJson(p: RepoParams): Record<string, string> {
  return Object.fromEntries(defs.map((d) => [d.name, d.get(p).toString()]));
}

export function encodeRepoParams(p: RepoParams): Uint8Array {
  return Params.encode({ maxCollaborators: p.maxCollaborators, maxRefsPerRepo: p.maxRefsPerRepo }).finish();
}

export function decodeRepoParams(raw: Uint8Array): RepoParams {
  const m = Params.decode(raw);
  return { maxCollaborators: m.maxCollaborators, maxRefsPerRepo: m.maxRefsPerRepo };
}
