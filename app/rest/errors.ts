/**
 * REST gateway errors (codespace `rest`) and the HTTP status of every coded error.
 * Bodies are `{code, codespace, message, details}` (the gateway's `{code, message,
 * details}` with the registered codespace beside the code).
 */
import { CodedError, lookupError, registerError } from '../errors.js';

export const ErrRoute = registerError('rest', 2, 'no such route');
export const ErrMethod = registerError('rest', 3, 'method not allowed');
export const ErrBodyTooLarge = registerError('rest', 4, 'request body too large');
export const ErrParam = registerError('rest', 5, 'invalid path or query parameter');
export const ErrBody = registerError('rest', 6, 'invalid request body');
export const ErrUnavailable = registerError('rest', 7, 'not available on this node');

/** Registered errors that mean "there is no such thing" (HTTP 404), by `codespace/code`. */
const NOT_FOUND = new Set<string>(['sdk/22', 'sdk/38', 'staking/2', 'slashing/2', 'slashing/6', 'gov/2', 'repo/3', 'repo/16', 'repo/17', 'rest/2']);

export interface RestErrorBody {
  code: number;
  codespace: string;
  message: string;
  details: unknown[];
}

export function httpStatus(codespace: string, code: number): number {
  if (code === 1 && codespace === 'sdk') return 500;
  if (NOT_FOUND.has(`${codespace}/${code}`)) return 404;
  if (codespace === 'rest') {
    if (code === ErrMethod.code) return 405;
    if (code === ErrBodyTooLarge.code) return 413;
    if (code === ErrUnavailable.code) return 501;
  }
  // an unregistered (codespace, code) came from somewhere we do not know: treat as a server fault
  return lookupError(codespace, code) ? 400 : 500;
}

/** A failure with a registered code, from a thrown CodedError or an ABCI query response. */
export class RestFailure extends Error {
  override readonly name = 'RestFailure';
  constructor(
    readonly codespace: string,
    readonly code: number,
    message: string,
  ) {
    super(message);
  }

  static from(err: unknown): RestFailure {
    if (err instanceof RestFailure) return err;
    if (err instanceof CodedError) return new RestFailure(err.codespace, err.code, err.message);
    return new RestFailure('sdk', 1, `internal error: ${err instanceof Error ? err.message : String(err)}`);
  }

  body(): RestErrorBody {
    return { code: this.code, codespace: this.codespace, message: this.message, details: [] };
  }
}
