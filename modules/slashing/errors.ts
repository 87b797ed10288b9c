import { registerError } from '../../app/errors.js';

// codespace `slashing`; numbers are never reused or renumbered.
export const ErrNoValidatorForAddress = registerError('slashing', 2, 'address is not associated with any known validator');
export const ErrValidatorNotJailed = registerError('slashing', 3, 'validator is not jailed');
export const ErrValidatorJailed = registerError('slashing', 4, 'validator is still jailed');
export const ErrValidatorTombstoned = registerError('slashing', 5, 'validator is tombstoned and can never be unjailed');
export const ErrNoSigningInfo = registerError('slashing', 6, 'no signing info for this validator');
export const ErrInvalidParam = registerError('slashing', 7, 'invalid parameter');
