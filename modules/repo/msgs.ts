/**
 * Message handlers of guts.repo.v1. Creation, non-member pushes and collaboration anchors
 * pass the sybil gate first (gates.ts); the handlers enforce ownership and the ref
 * compare-and-swap. Events (attribute names in README.md) feed the gossip RefUpdate and
 * CollaborationEvent messages.
 */
import { toHex } from '@cosmjs/encoding';
import type { MsgHandler } from '../../app/chain/module.js';
import type { Context } from '../../app/chain/context.js';
import { addressBytes } from '../../app/chain/address.js';
import {
  MsgAddCollaborator,
  MsgAddCollaboratorResponse,
  MsgAnchorCollabEvent,
  MsgAnchorCollabEventResponse,
  MsgCreateRepo,
  MsgCreateRepoResponse,
  MsgRemoveCollaborator,
  MsgRemoveCollaboratorResponse,
  MsgUpdateRef,
  MsgUpdateRefResponse,
} from '../../proto/gen/guts/repo/v1/tx.js';
import type { Repo } from '../../proto/gen/guts/repo/v1/repo.js';
import {
  ErrAlreadyCollaborator,
  ErrInvalidObjectId,
  ErrNotCollaborator,
  ErrRepoExists,
  ErrRepoNotFound,
  ErrStaleRef,
  ErrTooManyCollaborators,
  ErrTooManyRefs,
  ErrUnauthorized,
} from './errors.js';
import type { RepoKeeper } from './keeper.js';
import { COLLAB_EVENT_NAMES, contribPrefix, parseRepoKey, repoKey, validateCollabItem, validateObjectId, validateRefName, validateRepoName } from './names.js';

export const TYPE_URLS = {
  createRepo: '/guts.repo.v1.MsgCreateRepo',
  updateRef: '/guts.repo.v1.MsgUpdateRef',
  addCollaborator: '/guts.repo.v1.MsgAddCollaborator',
  removeCollaborator: '/guts.repo.v1.MsgRemoveCollaborator',
  anchorCollabEvent: '/guts.repo.v1.MsgAnchorCollabEvent',
} as const;

async function mustGetRepo(keeper: RepoKeeper, ctx: Context, repo: string): Promise<Repo> {
  const r = await keeper.getRepo(ctx, repo);
  if (!r) throw ErrRepoNotFound.wrap(`no repository ${repo}; create it with guts tx repo create`);
  return r;
}

function response<T>(typeUrl: string, codec: { encode(m: T): { finish(): Uint8Array } }, m: T) {
  return { typeUrl: `${typeUrl}Response`, value: codec.encode(m).finish() };
}

function createRepoHandler(keeper: RepoKeeper): MsgHandler<MsgCreateRepo> {
  return {
    typeUrl: TYPE_URLS.createRepo,
    decode: (b) => MsgCreateRepo.decode(b),
    encode: (m) => MsgCreateRepo.encode(m).finish(),
    getSigners: (m) => [m.owner],
    validateBasic(m) {
      addressBytes(m.owner, 'owner');
      validateRepoName(m.name);
    },
    async handle(ctx, m) {
      const key = repoKey(m.owner, m.name);
      if (await keeper.getRepo(ctx, key)) throw ErrRepoExists.wrap(`${key} exists`);
      await keeper.setRepo(ctx, { owner: m.owner, name: m.name, collaborators: [], createdHeight: BigInt(ctx.height), refCount: 0n });
      ctx.events.emit('create_repo', { repo: key, owner: m.owner });
      ctx.events.emit('message', { module: 'repo', sender: m.owner });
      return response(TYPE_URLS.createRepo, MsgCreateRepoResponse, { repo: key });
    },
  };
}

function updateRefHandler(keeper: RepoKeeper): MsgHandler<MsgUpdateRef> {
  return {
    typeUrl: TYPE_URLS.updateRef,
    decode: (b) => MsgUpdateRef.decode(b),
    encode: (m) => MsgUpdateRef.encode(m).finish(),
    getSigners: (m) => [m.signer],
    validateBasic(m) {
      addressBytes(m.signer, 'signer');
      parseRepoKey(m.repo);
      validateRefName(m.ref);
      validateObjectId(m.oldObjectId, 'old_object_id');
      validateObjectId(m.newObjectId, 'new_object_id');
      if (m.oldObjectId === m.newObjectId) throw ErrInvalidObjectId.wrap('old_object_id equals new_object_id: nothing to update');
    },
    async handle(ctx, m) {
      const repo = await mustGetRepo(keeper, ctx, m.repo);
      const member = repo.owner === m.signer || repo.collaborators.includes(m.signer);
      if (!member && !m.ref.startsWith(contribPrefix(m.signer))) {
        throw ErrUnauthorized.wrap(`${m.signer} is not the owner or a collaborator of ${m.repo}; others push only under ${contribPrefix(m.signer)}`);
      }
      const current = await keeper.getRef(ctx, m.repo, m.ref);
      const held = current?.objectId ?? '';
      if (held !== m.oldObjectId) {
        throw ErrStaleRef.wrap(`${m.repo} ${m.ref} holds ${held || 'nothing'}, not ${m.oldObjectId || 'nothing'}; fetch and retry`);
      }
      if (m.newObjectId === '') {
        await keeper.deleteRef(ctx, m.repo, m.ref);
        await keeper.setRepo(ctx, { ...repo, refCount: repo.refCount - 1n });
      } else {
        if (!current) {
          const { maxRefsPerRepo } = await keeper.getParams(ctx);
          if (repo.refCount >= maxRefsPerRepo) throw ErrTooManyRefs.wrap(`${m.repo} has ${repo.refCount} refs, the limit is ${maxRefsPerRepo}`);
          await keeper.setRepo(ctx, { ...repo, refCount: repo.refCount + 1n });
        }
        await keeper.setRef(ctx, m.repo, m.ref, { objectId: m.newObjectId, updatedBy: m.signer, updatedHeight: BigInt(ctx.height) });
      }
      ctx.events.emit('ref_update', { repo: m.repo, ref: m.ref, old_object_id: m.oldObjectId, new_object_id: m.newObjectId, signer: m.signer });
      ctx.events.emit('message', { module: 'repo', sender: m.signer });
      return response(TYPE_URLS.updateRef, MsgUpdateRefResponse, {});
    },
  };
}

function addCollaboratorHandler(keeper: RepoKeeper): MsgHandler<MsgAddCollaborator> {
  return {
    typeUrl: TYPE_URLS.addCollaborator,
    decode: (b) => MsgAddCollaborator.decode(b),
    encode: (m) => MsgAddCollaborator.encode(m).finish(),
    getSigners: (m) => [m.owner],
    validateBasic(m) {
      addressBytes(m.owner, 'owner');
      parseRepoKey(m.repo);
      addressBytes(m.collaborator, 'collaborator');
    },
    async handle(ctx, m) {
      const repo = await mustGetRepo(keeper, ctx, m.repo);
      if (repo.owner !== m.owner) throw ErrUnauthorized.wrap(`only the owner ${repo.owner} adds collaborators to ${m.repo}`);
      if (m.collaborator === repo.owner || repo.collaborators.includes(m.collaborator)) throw ErrAlreadyCollaborator.wrap(`${m.collaborator} already pushes to ${m.repo}`);
      const { maxCollaborators } = await keeper.getParams(ctx);
      if (repo.collaborators.length >= maxCollaborators) throw ErrTooManyCollaborators.wrap(`${m.repo} has ${repo.collaborators.length}, the limit is ${maxCollaborators}`);
      const collaborators = [...repo.collaborators, m.collaborator].sort();
      await keeper.setRepo(ctx, { ...repo, collaborators });
      ctx.events.emit('collaborator_added', { repo: m.repo, collaborator: m.collaborator });
      ctx.events.emit('message', { module: 'repo', sender: m.owner });
      return response(TYPE_URLS.addCollaborator, MsgAddCollaboratorResponse, {});
    },
  };
}

function removeCollaboratorHandler(keeper: RepoKeeper): MsgHandler<MsgRemoveCollaborator> {
  return {
    typeUrl: TYPE_URLS.removeCollaborator,
    decode: (b) => MsgRemoveCollaborator.decode(b),
    encode: (m) => MsgRemoveCollaborator.encode(m).finish(),
    getSigners: (m) => [m.signer],
    validateBasic(m) {
      addressBytes(m.signer, 'signer');
      parseRepoKey(m.repo);
      addressBytes(m.collaborator, 'collaborator');
    },
    async handle(ctx, m) {
      const repo = await mustGetRepo(keeper, ctx, m.repo);
      if (m.signer !== repo.owner && m.signer !== m.collaborator) throw ErrUnauthorized.wrap(`only the owner ${repo.owner} or the collaborator may remove ${m.collaborator}`);
      if (!repo.collaborators.includes(m.collaborator)) throw ErrNotCollaborator.wrap(`${m.collaborator} is not a collaborator of ${m.repo}`);
      await keeper.setRepo(ctx, { ...repo, collaborators: repo.collaborators.filter((c) => c !== m.collaborator) });
      ctx.events.emit('collaborator_removed', { repo: m.repo, collaborator: m.collaborator });
      ctx.events.emit('message', { module: 'repo', sender: m.signer });
      return response(TYPE_URLS.removeCollaborator, MsgRemoveCollaboratorResponse, {});
    },
  };
}

function anchorCollabEventHandler(keeper: RepoKeeper): MsgHandler<MsgAnchorCollabEvent> {
  return {
    typeUrl: TYPE_URLS.anchorCollabEvent,
    decode: (b) => MsgAnchorCollabEvent.decode(b),
    encode: (m) => MsgAnchorCollabEvent.encode(m).finish(),
    getSigners: (m) => [m.author],
    validateBasic(m) {
      addressBytes(m.author, 'author');
      parseRepoKey(m.repo);
      validateCollabItem(m.eventType, m.itemId, m.contentHash);
    },
    async handle(ctx, m) {
      await mustGetRepo(keeper, ctx, m.repo);
      const prev = await keeper.getAnchor(ctx, m.repo, m.eventType, m.itemId);
      if (prev && prev.author !== m.author) throw ErrUnauthorized.wrap(`${COLLAB_EVENT_NAMES[m.eventType]} ${m.itemId} was first anchored by ${prev.author}; only they re-anchor it`);
      const revision = (prev?.revision ?? 0n) + 1n;
      await keeper.setAnchor(ctx, m.repo, m.eventType, m.itemId, { contentHash: m.contentHash, author: m.author, height: BigInt(ctx.height), revision });
      ctx.events.emit('collab_event', {
        repo: m.repo,
        event_type: COLLAB_EVENT_NAMES[m.eventType]!,
        item_id: m.itemId,
        content_hash: toHex(m.contentHash),
        author: m.author,
        revision: revision.toString(),
      });
      ctx.events.emit('message', { module: 'repo', sender: m.author });
      return response(TYPE_URLS.anchorCollabEvent, MsgAnchorCollabEventResponse, { revision });
    },
  };
}

export function repoMsgHandlers(keeper: RepoKeeper): MsgHandler<any>[] {
  return [createRepoHandler(keeper), updateRefHandler(keeper), addCollaboratorHandler(keeper), removeCollaboratorHandler(keeper), anchorCollabEventHandler(keeper)];
}
