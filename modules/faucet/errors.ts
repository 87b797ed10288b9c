import { registerError } from '../../app/errors.js';

// codespace `faucet`; numbers are never reused or renumbered
export const ErrFaucetEmpty = registerError('faucet', 2, 'faucet empty');
export const ErrCooldown = registerError('faucet', 3, 'faucet cooldown active');
export const ErrLifetimeLimit = registerError('faucet', 4, 'faucet lifetime limit reached');
export const ErrFaucetDisabled = registerError('faucet', 5, 'faucet disabled');
export const ErrUnknownParam = registerError('faucet', 6, 'unknown parameter');
export const ErrInvalidParam = registerError('faucet', 7, 'invalid parameter value');
export const ErrInvalidRecipient = registerError('faucet', 8, 'invalid faucet recipient');
