/** Which repo messages the sybil gate checks, with their action, offered work and repository. */
import type { GatedMsg } from '../sybil/expected.js';
import type { MsgAnchorCollabEvent, MsgCreateRepo, MsgUpdateRef } from '../../proto/gen/guts/repo/v1/tx.js';
import { TYPE_URLS } from './msgs.js';

export const repoGatedMsgs: readonly GatedMsg[] = [
  { typeUrl: TYPE_URLS.createRepo, action: 'create_repo', pow: (m: MsgCreateRepo) => m.pow },
  // owners and collaborators push for free (sybil asks RepoKeeper.isMember)
  { typeUrl: TYPE_URLS.updateRef, action: 'push', pow: (m: MsgUpdateRef) => m.pow, repo: (m: MsgUpdateRef) => m.repo },
  { typeUrl: TYPE_URLS.anchorCollabEvent, action: 'collaboration', pow: (m: MsgAnchorCollabEvent) => m.pow },
];
