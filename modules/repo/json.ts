/** JSON forms (snake_case, integers as strings) of repo records, for the CLI and REST. */
import { toHex } from '@cosmjs/encoding';
import type { CollabAnchor, Ref, Repo } from '../../proto/gen/guts/repo/v1/repo.js';

export function repoToJson(r: Repo): Record<string, unknown> {
  return { repo: `${r.owner}/${r.name}`, owner: r.owner, name: r.name, collaborators: r.collaborators, created_height: r.createdHeight.toString(), ref_count: r.refCount.toString() };
}

export function refToJson(name: string, r: Ref): Record<string, unknown> {
  return { name, object_id: r.objectId, updated_by: r.updatedBy, updated_height: r.updatedHeight.toString() };
}

export function anchorToJson(a: CollabAnchor): Record<string, unknown> {
  return { content_hash: toHex(a.contentHash), author: a.author, height: a.height.toString(), revision: a.revision.toString() };
}
