import { registerError } from '../../app/errors.js';

// codespace `sybil`; numbers are never reused or renumbered
export const ErrInsufficientStake = registerError('sybil', 2, 'insufficient stake for action');
export const ErrPowNotAccepted = registerError('sybil', 3, 'proof of work is not accepted for this action');
export const ErrPowExpired = registerError('sybil', 4, 'proof of work block hash is outside the window');
export const ErrPowInsufficient = registerError('sybil', 5, 'proof of work does not solve the challenge');
export const ErrPowReplayed = registerError('sybil', 6, 'proof of work solution already used');
export const ErrUnknownParam = registerError('sybil', 7, 'unknown parameter');
export const ErrInvalidParam = registerError('sybil', 8, 'invalid parameter value');
export const ErrInvalidAction = registerError('sybil', 9, 'invalid action');
