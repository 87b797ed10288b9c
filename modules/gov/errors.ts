import { registerError } from '../../app/errors.js';

// codespace `gov`; never renumbered (STYLE.md)
export const ErrUnknownProposal = registerError('gov', 2, 'unknown proposal');
export const ErrInactiveProposal = registerError('gov', 3, 'proposal is not open for votes');
export const ErrInvalidProposalContent = registerError('gov', 4, 'invalid proposal content');
export const ErrInvalidVote = registerError('gov', 5, 'invalid vote option');
export const ErrNotActiveValidator = registerError('gov', 6, 'not an active validator');
export const ErrInsufficientStake = registerError('gov', 7, 'stake below the proposal threshold');
export const ErrNoVotingPower = registerError('gov', 8, 'voter has no bonded stake');
export const ErrNotInTimelock = registerError('gov', 9, 'proposal is not waiting in the time-lock');
export const ErrStaleParamValue = registerError('gov', 10, 'parameter old value does not match the current value');
export const ErrUnknownParam = registerError('gov', 11, 'unknown module parameter');
export const ErrModulePaused = registerError('gov', 12, 'module messages are paused by governance');
export const ErrInvalidUpgrade = registerError('gov', 13, 'invalid protocol upgrade');
export const ErrAlreadyVetoed = registerError('gov', 14, 'validator already vetoed this proposal');
export const ErrInvalidParams = registerError('gov', 15, 'invalid gov parameter');
export const ErrInvalidMetadata = registerError('gov', 16, 'invalid proposal title or description');
export const ErrUnknownModule = registerError('gov', 17, 'unknown module');
export const ErrInvalidProposalId = registerError('gov', 18, 'invalid proposal id');
