import { registerError } from '../../app/errors.js';

// codespace `staking`; numbers are never reused or renumbered.
export const ErrNoValidator = registerError('staking', 2, 'validator does not exist');
export const ErrValidatorExists = registerError('staking', 3, 'this operator already has a validator');
export const ErrPubKeyExists = registerError('staking', 4, 'consensus public key is already used by a validator');
export const ErrInvalidPubKey = registerError('staking', 5, 'invalid consensus public key');
export const ErrInvalidDescription = registerError('staking', 6, 'invalid validator description');
export const ErrInvalidCommission = registerError('staking', 7, 'invalid commission rates');
export const ErrCommissionChange = registerError('staking', 8, 'commission change not allowed');
export const ErrSelfStakeTooLow = registerError('staking', 9, 'self-stake below min_stake');
export const ErrBadDenom = registerError('staking', 10, 'invalid coin denomination');
export const ErrInsufficientStake = registerError('staking', 11, 'not enough stake');
export const ErrStakeLocked = registerError('staking', 12, 'stake is locked');
export const ErrNoDelegation = registerError('staking', 13, 'no delegation for this (delegator, validator) pair');
export const ErrSelfRedelegation = registerError('staking', 14, 'cannot redelegate to the same validator');
export const ErrTooManyEntries = registerError('staking', 15, 'too many pending or unbonding entries for this pair');
export const ErrValidatorEmpty = registerError('staking', 16, 'validator has no tokens left: its shares are worthless');
export const ErrInvalidAmount = registerError('staking', 17, 'invalid amount');
export const ErrInvalidParam = registerError('staking', 18, 'invalid parameter');
export const ErrValidatorTombstoned = registerError('staking', 19, 'validator is tombstoned');
export const ErrInvalidGenesis = registerError('staking', 20, 'invalid staking genesis state');
