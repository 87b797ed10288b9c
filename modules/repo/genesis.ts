import { fromHex, toHex } from '@cosmjs/encoding';
import type { Context } from '../../app/chain/context.js';
import { addressBytes } from '../../app/chain/address.js';
import { CodedError } from '../../app/errors.js';
import { GenesisError, expectArray, expectObject, expectString, expectUint, rejectUnknownKeys } from '../../app/chain/genesis-error.js';
import type { CollabAnchor, CollabEventType, Ref, Repo } from '../../proto/gen/guts/repo/v1/repo.js';
import type { RepoKeeper } from './keeper.js';
import { COLLAB_EVENT_NAMES, repoKey, validateCollabItem, validateObjectId, validateRefName, validateRepoName } from './names.js';
import { defaultRepoParams, REPO_PARAM_NAMES, repoParamsToJson, withRepoParam, type RepoParams } from './params.js';

export interface RepoGenesisEntry {
  repo: Repo;
  /** By name (byte order). */
  refs: { name: string; ref: Ref }[];
  /** By event type, then item id. */
  anchors: { eventType: CollabEventType; itemId: string; anchor: CollabAnchor }[];
}

export interface RepoGenesis {
  params: RepoParams;
  /** By repository key `<owner>/<name>`. */
  repos: RepoGenesisEntry[];
}

export function defaultRepoGenesis(): RepoGenesis {
  return { params: defaultRepoParams(), repos: [] };
}

const EVENT_TYPES = new Map(Object.entries(COLLAB_EVENT_NAMES).map(([k, v]) => [v, Number(k) as CollabEventType]));
const utf8 = new TextEncoder();

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}
const byUtf8 = (a: string, b: string) => compareBytes(utf8.encode(a), utf8.encode(b));

/** A registered error from a shared validator, reported at the genesis path. */
function at<T>(path: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof CodedError) throw new GenesisError(path, e.message);
    throw e;
  }
}

function address(raw: unknown, path: string): string {
  const a = expectString(raw, path);
  at(path, () => addressBytes(a));
  return a;
}

function paramsFromJson(raw: unknown, path: string): RepoParams {
  const po = expectObject(raw, path);
  rejectUnknownKeys(po, [...REPO_PARAM_NAMES], path);
  let p = defaultRepoParams();
  for (const name of REPO_PARAM_NAMES) {
    if (po[name] === undefined) throw new GenesisError(`${path}.${name}`, 'missing');
    p = at(`${path}.${name}`, () => withRepoParam(p, name, expectString(po[name], `${path}.${name}`)));
  }
  return p;
}

function entryFromJson(raw: unknown, path: string, params: RepoParams): RepoGenesisEntry {
  const o = expectObject(raw, path);
  rejectUnknownKeys(o, ['owner', 'name', 'collaborators', 'created_height', 'refs', 'anchors'], path);
  const owner = address(o.owner, `${path}.owner`);
  const name = expectString(o.name, `${path}.name`);
  at(`${path}.name`, () => validateRepoName(name));
  const collaborators = expectArray(o.collaborators ?? [], `${path}.collaborators`).map((c, i) => address(c, `${path}.collaborators[${i}]`));
  collaborators.forEach((c, i) => {
    if (c === owner) throw new GenesisError(`${path}.collaborators[${i}]`, 'the owner is not listed as a collaborator');
    if (i > 0 && collaborators[i - 1]! >= c) throw new GenesisError(`${path}.collaborators[${i}]`, 'collaborators must be sorted without duplicates');
  });
  if (collaborators.length > params.maxCollaborators) throw new GenesisError(`${path}.collaborators`, `more than max_collaborators (${params.maxCollaborators})`);
  const refs = expectArray(o.refs ?? [], `${path}.refs`).map((r, i) => {
    const p = `${path}.refs[${i}]`;
    const ro = expectObject(r, p);
    rejectUnknownKeys(ro, ['name', 'object_id', 'updated_by', 'updated_height'], p);
    const refName = expectString(ro.name, `${p}.name`);
    at(`${p}.name`, () => validateRefName(refName));
    const objectId = expectString(ro.object_id, `${p}.object_id`);
    if (objectId === '') throw new GenesisError(`${p}.object_id`, 'a stored ref points at an object');
    at(`${p}.object_id`, () => validateObjectId(objectId, 'object_id'));
    return { name: refName, ref: { objectId, updatedBy: address(ro.updated_by, `${p}.updated_by`), updatedHeight: expectUint(ro.updated_height, `${p}.updated_height`, { max: (1n << 63n) - 1n }) } };
  });
  refs.forEach((r, i) => {
    if (i > 0 && byUtf8(refs[i - 1]!.name, r.name) >= 0) throw new GenesisError(`${path}.refs[${i}].name`, 'refs must be sorted by name without duplicates');
  });
  if (BigInt(refs.length) > params.maxRefsPerRepo) throw new GenesisError(`${path}.refs`, `more than max_refs_per_repo (${params.maxRefsPerRepo})`);
  const anchors = expectArray(o.anchors ?? [], `${path}.anchors`).map((a, i) => {
    const p = `${path}.anchors[${i}]`;
    const ao = expectObject(a, p);
    rejectUnknownKeys(ao, ['event_type', 'item_id', 'content_hash', 'author', 'height', 'revision'], p);
    const eventType = EVENT_TYPES.get(expectString(ao.event_type, `${p}.event_type`));
    if (eventType === undefined) throw new GenesisError(`${p}.event_type`, `expected one of ${[...EVENT_TYPES.keys()].join(', ')}`);
    const itemId = expectString(ao.item_id, `${p}.item_id`);
    const hashHex = expectString(ao.content_hash, `${p}.content_hash`);
    if (!/^[0-9a-f]{64}$/.test(hashHex)) throw new GenesisError(`${p}.content_hash`, 'expected 32 bytes as 64 lower-case hex characters');
    const contentHash = fromHex(hashHex);
    at(p, () => validateCollabItem(eventType, itemId, contentHash));
    return {
      eventType,
      itemId,
      anchor: {
        contentHash,
        author: address(ao.author, `${p}.author`),
        height: expectUint(ao.height, `${p}.height`, { max: (1n << 63n) - 1n }),
        revision: expectUint(ao.revision, `${p}.revision`, { min: 1n, max: (1n << 64n) - 1n }),
      },
    };
  });
  anchors.forEach((a, i) => {
    const prev = anchors[i - 1];
    if (prev && (prev.eventType > a.eventType || (prev.eventType === a.eventType && byUtf8(prev.itemId, a.itemId) >= 0))) {
      throw new GenesisError(`${path}.anchors[${i}]`, 'anchors must be sorted by event type order (issue, pull_request, comment, review), then item id, without duplicates');
    }
  });
  const createdHeight = expectUint(o.created_height ?? '0', `${path}.created_height`, { max: (1n << 63n) - 1n });
  return { repo: { owner, name, collaborators, createdHeight, refCount: BigInt(refs.length) }, refs, anchors };
}

export function validateRepoGenesis(raw: unknown, path: string): RepoGenesis {
  const o = expectObject(raw, path);
  rejectUnknownKeys(o, ['params', 'repos'], path);
  const params = paramsFromJson(o.params, `${path}.params`);
  const repos = expectArray(o.repos ?? [], `${path}.repos`).map((r, i) => entryFromJson(r, `${path}.repos[${i}]`, params));
  const keyOf = (e: RepoGenesisEntry) => repoKey(e.repo.owner, e.repo.name);
  repos.forEach((e, i) => {
    if (i > 0 && byUtf8(keyOf(repos[i - 1]!), keyOf(e)) >= 0) throw new GenesisError(`${path}.repos[${i}]`, 'repos must be sorted by <owner>/<name> without duplicates');
  });
  return { params, repos };
}

export async function initRepoGenesis(keeper: RepoKeeper, ctx: Context, g: RepoGenesis): Promise<void> {
  await keeper.setParams(ctx, g.params);
  for (const e of g.repos) {
    const key = repoKey(e.repo.owner, e.repo.name);
    await keeper.setRepo(ctx, e.repo);
    for (const r of e.refs) await keeper.setRef(ctx, key, r.name, r.ref);
    for (const a of e.anchors) await keeper.setAnchor(ctx, key, a.eventType, a.itemId, a.anchor);
  }
}

export async function exportRepoGenesis(keeper: RepoKeeper, ctx: Context): Promise<RepoGenesis> {
  const repos: RepoGenesisEntry[] = [];
  for await (const repo of keeper.allRepos(ctx)) {
    const key = repoKey(repo.owner, repo.name);
    const refs = await keeper.refsOf(ctx, key);
    const anchors = (await keeper.anchorsOf(ctx, key)).map(({ eventType, itemId, anchor }) => ({ eventType, itemId, anchor }));
    repos.push({ repo, refs, anchors });
  }
  return { params: await keeper.getParams(ctx), repos };
}

export function repoGenesisToJson(g: RepoGenesis): unknown {
  return {
    params: repoParamsToJson(g.params),
    repos: g.repos.map((e) => ({
      owner: e.repo.owner,
      name: e.repo.name,
      collaborators: e.repo.collaborators,
      created_height: e.repo.createdHeight.toString(),
      refs: e.refs.map((r) => ({ name: r.name, object_id: r.ref.objectId, updated_by: r.ref.updatedBy, updated_height: r.ref.updatedHeight.toString() })),
      anchors: e.anchors.map((a) => ({
        event_type: COLLAB_EVENT_NAMES[a.eventType],
        item_id: a.itemId,
        content_hash: toHex(a.anchor.contentHash),
        author: a.anchor.author,
        height: a.anchor.height.toString(),
        revision: a.anchor.revision.toString(),
      })),
    })),
  };
}
