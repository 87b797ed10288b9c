/**
 * repo keeper: owns the `repo/` prefix (layout in README.md): repositories keyed
 * `<owner>/<name>`, their refs, and collaboration anchors. Keys that embed a repository
 * key length-prefix it, so one repository's range never includes another's.
 */
import type { Context } from '../../app/chain/context.js';
import { concatBytes, stateKey } from '../../app/chain/keys.js';
import type { KVReader } from '../../app/store/types.js';
import { CollabAnchor, Ref, Repo, type CollabEventType } from '../../proto/gen/guts/repo/v1/repo.js';
import { decodeRepoParams, encodeRepoParams, type RepoParams } from './params.js';

export const MODULE = 'repo';
const PARAMS_KEY = stateKey(MODULE, 'params');
export const REPOS_PREFIX = stateKey(MODULE, 'repos');
export const REFS_PREFIX = stateKey(MODULE, 'refs');
export const ANCHORS_PREFIX = stateKey(MODULE, 'anchors');

const utf8 = new TextEncoder();
const text = new TextDecoder();

type Read = { store: KVReader };

function lengthPrefixed(s: string): Uint8Array {
  const b = utf8.encode(s);
  if (b.length > 255) throw new RangeError(`key part longer than 255 bytes: ${s.slice(0, 50)}…`);
  return concatBytes(new Uint8Array([b.length]), b);
}

const repoRecordKey = (repo: string) => stateKey(MODULE, 'repos', repo);
const refsOf = (repo: string) => concatBytes(REFS_PREFIX, lengthPrefixed(repo));
const refKey = (repo: string, ref: string) => concatBytes(refsOf(repo), utf8.encode(ref));
const anchorsOf = (repo: string) => concatBytes(ANCHORS_PREFIX, lengthPrefixed(repo));
const anchorKey = (repo: string, type: CollabEventType, itemId: string) => concatBytes(anchorsOf(repo), new Uint8Array([type]), utf8.encode(itemId));

export interface NamedRef {
  name: string;
  ref: Ref;
}

export interface StoredAnchor {
  repo: string;
  eventType: CollabEventType;
  itemId: string;
  anchor: CollabAnchor;
}

export class RepoKeeper {
  async getParams(ctx: Read): Promise<RepoParams> {
    const raw = await ctx.store.get(PARAMS_KEY);
    if (!raw) throw new Error('repo params missing from state: the chain was not initialised from genesis');
    return decodeRepoParams(raw);
  }

  async setParams(ctx: Context, p: RepoParams): Promise<void> {
    await ctx.store.set(PARAMS_KEY, encodeRepoParams(p));
  }

  async getRepo(ctx: Read, repo: string): Promise<Repo | undefined> {
    const raw = await ctx.store.get(repoRecordKey(repo));
    return raw ? Repo.decode(raw) : undefined;
  }

  async setRepo(ctx: Context, r: Repo): Promise<void> {
    await ctx.store.set(repoRecordKey(`${r.owner}/${r.name}`), Repo.encode(r).finish());
  }

  /**
   * Owners and collaborators (sybil's RepoMembership: they push for free). The owner is
   * part of the key, so it counts even before the repo exists: the sybil gate runs for
   * every message of a tx before any handler, and a tx may create a repo and push to it.
   */
  async isMember(ctx: Read, repo: string, address: string): Promise<boolean> {
    if (repo.startsWith(`${address}/`)) return true;
    const r = await this.getRepo(ctx, repo);
    return r !== undefined && (r.owner === address || r.collaborators.includes(address));
  }

  /** Repositories of `owner`, by name. */
  async reposOf(ctx: Read, owner: string): Promise<Repo[]> {
    const out: Repo[] = [];
    for await (const [, v] of ctx.store.iterate(repoRecordKey(`${owner}/`))) out.push(Repo.decode(v));
    return out;
  }

  async *allRepos(ctx: Read): AsyncIterable<Repo> {
    for await (const [, v] of ctx.store.iterate(REPOS_PREFIX)) yield Repo.decode(v);
  }

  async getRef(ctx: Read, repo: string, ref: string): Promise<Ref | undefined> {
    const raw = await ctx.store.get(refKey(repo, ref));
    return raw ? Ref.decode(raw) : undefined;
  }

  async setRef(ctx: Context, repo: string, ref: string, value: Ref): Promise<void> {
    await ctx.store.set(refKey(repo, ref), Ref.encode(value).finish());
  }

  async deleteRef(ctx: Context, repo: string, ref: string): Promise<void> {
    await ctx.store.delete(refKey(repo, ref));
  }

  /** Refs of one repository in byte order of their names. */
  async refsOf(ctx: Read, repo: string): Promise<NamedRef[]> {
    const prefix = refsOf(repo);
    const out: NamedRef[] = [];
    for await (const [k, v] of ctx.store.iterate(prefix)) out.push({ name: text.decode(k.slice(prefix.length)), ref: Ref.decode(v) });
    return out;
  }

  async getAnchor(ctx: Read, repo: string, type: CollabEventType, itemId: string): Promise<CollabAnchor | undefined> {
    const raw = await ctx.store.get(anchorKey(repo, type, itemId));
    return raw ? CollabAnchor.decode(raw) : undefined;
  }

  async setAnchor(ctx: Context, repo: string, type: CollabEventType, itemId: string, anchor: CollabAnchor): Promise<void> {
    await ctx.store.set(anchorKey(repo, type, itemId), CollabAnchor.encode(anchor).finish());
  }

  async anchorsOf(ctx: Read, repo: string): Promise<StoredAnchor[]> {
    const prefix = anchorsOf(repo);
    const out: StoredAnchor[] = [];
    for await (const [k, v] of ctx.store.iterate(prefix)) {
      out.push({ repo, eventType: k[prefix.length]! as CollabEventType, itemId: text.decode(k.slice(prefix.length + 1)), anchor: CollabAnchor.decode(v) });
    }
    return out;
  }
}
