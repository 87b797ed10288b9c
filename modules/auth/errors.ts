import { registerError } from '../../app/errors.js';

// codespace `auth`: cosmos-sdk x/auth reports with sdk codes; these are Guts' own (ParamSpace)
export const ErrUnknownParam = registerError('auth', 2, 'unknown parameter');
export const ErrInvalidParam = registerError('auth', 3, 'invalid parameter value');
