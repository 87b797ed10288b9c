import { registerError } from '../../app/errors.js';

// codespace `repo`; numbers are never reused or renumbered
export const ErrRepoExists = registerError('repo', 2, 'repository already exists');
export const ErrRepoNotFound = registerError('repo', 3, 'repository not found');
export const ErrStaleRef = registerError('repo', 4, 'ref does not hold the expected old object id');
export const ErrUnauthorized = registerError('repo', 5, 'not allowed on this repository');
export const ErrInvalidRepo = registerError('repo', 6, 'invalid repository name');
export const ErrInvalidRef = registerError('repo', 7, 'invalid ref name');
export const ErrInvalidObjectId = registerError('repo', 8, 'invalid object id');
export const ErrAlreadyCollaborator = registerError('repo', 9, 'already a collaborator');
export const ErrNotCollaborator = registerError('repo', 10, 'not a collaborator');
export const ErrTooManyCollaborators = registerError('repo', 11, 'too many collaborators');
export const ErrTooManyRefs = registerError('repo', 12, 'too many refs');
export const ErrInvalidCollabEvent = registerError('repo', 13, 'invalid collaboration event');
export const ErrUnknownParam = registerError('repo', 14, 'unknown parameter');
export const ErrInvalidParam = registerError('repo', 15, 'invalid parameter value');
export const ErrRefNotFound = registerError('repo', 16, 'ref not found');
export const ErrAnchorNotFound = registerError('repo', 17, 'collaboration anchor not found');
