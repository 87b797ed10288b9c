/**
 * Stateless checks of repository keys, ref names, object ids and collaboration items.
 * A repository is keyed `<owner>/<name>`: owner-scoped, so names cannot be squatted
 * across owners and the owner's repos share one key prefix.
 */
import { addressBytes } from '../../app/chain/address.js';
import { CollabEventType } from '../../proto/gen/guts/repo/v1/repo.js';
import { ErrInvalidCollabEvent, ErrInvalidObjectId, ErrInvalidRef, ErrInvalidRepo } from './errors.js';

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
const OBJECT_ID = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;
const ITEM_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
/** Characters git refuses in ref names (git-check-ref-format(1) rules 3-4), plus controls. */
const BAD_REF_CHARS = /[\x00-\x20\x7f~^:?*[\\]/;

export const COLLAB_EVENT_NAMES: Record<number, string> = {
  [CollabEventType.COLLAB_EVENT_TYPE_ISSUE]: 'issue',
  [CollabEventType.COLLAB_EVENT_TYPE_PULL_REQUEST]: 'pull_request',
  [CollabEventType.COLLAB_EVENT_TYPE_COMMENT]: 'comment',
  [CollabEventType.COLLAB_EVENT_TYPE_REVIEW]: 'review',
};

export function validateRepoName(name: string): void {
  if (typeof name !== 'string' || !NAME.test(name)) {
    throw ErrInvalidRepo.wrap(`name ${JSON.stringify(name)}: expected 1-100 characters [A-Za-z0-9._-] starting with a letter or digit`);
  }
}

export function repoKey(owner: string, name: string): string {
  return `${owner}/${name}`;
}

/** Split and check `<owner>/<name>`. */
export function parseRepoKey(repo: string): { owner: string; name: string } {
  if (typeof repo !== 'string') throw ErrInvalidRepo.wrap('repo must be a string');
  const slash = repo.indexOf('/');
  if (slash < 0) throw ErrInvalidRepo.wrap(`repo ${JSON.stringify(repo.slice(0, 200))}: expected <owner address>/<name>`);
  const owner = repo.slice(0, slash);
  const name = repo.slice(slash + 1);
  try {
    addressBytes(owner, 'repo owner');
  } catch (e) {
    throw ErrInvalidRepo.wrap(`repo ${JSON.stringify(repo.slice(0, 200))}: ${(e as Error).message}`);
  }
  validateRepoName(name);
  return { owner, name };
}

/** The git-check-ref-format(1) rules, with names required under refs/ and at most 255 bytes. */
export function validateRefName(ref: string): void {
  const bad = (why: string) => ErrInvalidRef.wrap(`${JSON.stringify(typeof ref === 'string' ? ref.slice(0, 300) : ref)}: ${why}`);
  if (typeof ref !== 'string' || !ref.startsWith('refs/')) throw bad('must start with refs/');
  if (new TextEncoder().encode(ref).length > 255) throw bad('longer than 255 bytes');
  if (BAD_REF_CHARS.test(ref)) throw bad('contains a space, a control character or one of ~ ^ : ? * [ \\');
  if (ref.includes('..') || ref.includes('@{') || ref.endsWith('.') || ref.endsWith('/')) throw bad('contains "..", "@{" or ends with "." or "/"');
  for (const part of ref.split('/')) {
    if (part === '') throw bad('has an empty component');
    if (part.startsWith('.') || part.endsWith('.lock')) throw bad('has a component starting with "." or ending with ".lock"');
  }
}

/** "" stands for "no object" (ref absent before, or deleted after). */
export function validateObjectId(id: string, field: string): void {
  if (typeof id !== 'string' || (id !== '' && !OBJECT_ID.test(id))) {
    throw ErrInvalidObjectId.wrap(`${field} ${JSON.stringify(String(id).slice(0, 100))}: expected 40 (sha1) or 64 (sha256) lower-case hex characters, or "" for none`);
  }
}

export function validateCollabItem(type: CollabEventType, itemId: string, contentHash: Uint8Array): void {
  if (COLLAB_EVENT_NAMES[type] === undefined) throw ErrInvalidCollabEvent.wrap(`event_type ${type}: expected 1 (issue), 2 (pull_request), 3 (comment) or 4 (review)`);
  if (typeof itemId !== 'string' || !ITEM_ID.test(itemId)) throw ErrInvalidCollabEvent.wrap(`item_id ${JSON.stringify(String(itemId).slice(0, 200))}: expected 1-128 characters [A-Za-z0-9._:-] (a UUID fits)`);
  if (!(contentHash instanceof Uint8Array) || contentHash.length !== 32) throw ErrInvalidCollabEvent.wrap(`content_hash has ${contentHash?.length ?? 0} bytes, expected 32 (sha256)`);
}

/** Non-members may push only under their own contribution namespace. */
export function contribPrefix(address: string): string {
  return `refs/contrib/${address}/`;
}
