/**
 * Registered, coded errors (cosmos-sdk `errors.Register`). A (codespace, code) pair is
 * registered once and never renumbered; callers match on the registered error with
 * `isError`, never on message text. Codes in codespace `sdk` are the ones cosmos-sdk
 * uses (types/errors/errors.go), so wallets that already know them understand ours.
 */
export class RegisteredError {
  constructor(
    readonly codespace: string,
    readonly code: number,
    readonly description: string,
  ) {}

  /** Build a throwable error carrying this code, with a detail for the user. */
  wrap(detail?: string): CodedError {
    return new CodedError(this, detail);
  }

  is(err: unknown): boolean {
    return err instanceof CodedError && err.codespace === this.codespace && err.code === this.code;
  }
}

export class CodedError extends Error {
  override readonly name = 'CodedError';
  readonly codespace: string;
  readonly code: number;

  constructor(
    readonly registered: RegisteredError,
    readonly detail?: string,
  ) {
    super(detail ? `${detail}: ${registered.description}` : registered.description);
    this.codespace = registered.codespace;
    this.code = registered.code;
  }
}

const registry = new Map<string, RegisteredError>();

export function registerError(codespace: string, code: number, description: string): RegisteredError {
  if (!Number.isInteger(code) || code < 2) throw new Error(`error code ${code} in ${codespace} must be an integer ≥ 2 (0 is OK, 1 is internal)`);
  const id = `${codespace}/${code}`;
  if (registry.has(id)) throw new Error(`error ${id} is already registered`);
  const e = new RegisteredError(codespace, code, description);
  registry.set(id, e);
  return e;
}

export function lookupError(codespace: string, code: number): RegisteredError | undefined {
  return registry.get(`${codespace}/${code}`);
}

export function isError(err: unknown, registered: RegisteredError): err is CodedError {
  return registered.is(err);
}

/** Code and log for an ABCI response; unknown exceptions become sdk/1 (internal) without leaking stacks. */
export function abciError(err: unknown): { code: number; codespace: string; log: string } {
  if (err instanceof CodedError) return { code: err.code, codespace: err.codespace, log: err.message };
  return { code: 1, codespace: 'sdk', log: `internal error: ${err instanceof Error ? err.message : String(err)}` };
}

// codespace `sdk`, numbered as cosmos-sdk types/errors/errors.go
export const ErrTxDecode = registerError('sdk', 2, 'tx parse error');
export const ErrInvalidSequence = registerError('sdk', 3, 'invalid sequence');
export const ErrUnauthorized = registerError('sdk', 4, 'unauthorized');
export const ErrInsufficientFunds = registerError('sdk', 5, 'insufficient funds');
export const ErrUnknownRequest = registerError('sdk', 6, 'unknown request');
export const ErrInvalidAddress = registerError('sdk', 7, 'invalid address');
export const ErrInvalidPubKey = registerError('sdk', 8, 'invalid pubkey');
export const ErrUnknownAddress = registerError('sdk', 9, 'unknown address');
export const ErrInvalidCoins = registerError('sdk', 10, 'invalid coins');
export const ErrOutOfGas = registerError('sdk', 11, 'out of gas');
export const ErrMemoTooLarge = registerError('sdk', 12, 'memo too large');
export const ErrInsufficientFee = registerError('sdk', 13, 'insufficient fee');
export const ErrTooManySignatures = registerError('sdk', 14, 'maximum number of signatures exceeded');
export const ErrNoSignatures = registerError('sdk', 15, 'no signatures supplied');
export const ErrJSONMarshal = registerError('sdk', 16, 'failed to marshal JSON bytes');
export const ErrJSONUnmarshal = registerError('sdk', 17, 'failed to unmarshal JSON bytes');
export const ErrInvalidRequest = registerError('sdk', 18, 'invalid request');
export const ErrTxInMempoolCache = registerError('sdk', 19, 'tx already in mempool');
export const ErrMempoolIsFull = registerError('sdk', 20, 'mempool is full');
export const ErrTxTooLarge = registerError('sdk', 21, 'tx too large');
export const ErrKeyNotFound = registerError('sdk', 22, 'key not found');
export const ErrWrongPassword = registerError('sdk', 23, 'invalid account password');
export const ErrInvalidSigner = registerError('sdk', 24, 'tx intended signer does not match the given signer');
export const ErrInvalidGasAdjustment = registerError('sdk', 25, 'invalid gas adjustment');
export const ErrInvalidHeight = registerError('sdk', 26, 'invalid height');
export const ErrInvalidVersion = registerError('sdk', 27, 'invalid version');
export const ErrInvalidChainID = registerError('sdk', 28, 'invalid chain-id');
export const ErrInvalidType = registerError('sdk', 29, 'invalid type');
export const ErrTxTimeoutHeight = registerError('sdk', 30, 'tx timeout height');
export const ErrUnknownExtensionOptions = registerError('sdk', 31, 'unknown extension options');
export const ErrWrongSequence = registerError('sdk', 32, 'incorrect account sequence');
export const ErrPackAny = registerError('sdk', 33, 'failed packing protobuf message to Any');
export const ErrUnpackAny = registerError('sdk', 34, 'failed unpacking protobuf message from Any');
export const ErrLogic = registerError('sdk', 35, 'internal logic error');
export const ErrConflict = registerError('sdk', 36, 'conflict');
export const ErrNotSupported = registerError('sdk', 37, 'feature not supported');
export const ErrNotFound = registerError('sdk', 38, 'not found');
export const ErrIO = registerError('sdk', 39, 'Internal IO error');
export const ErrAppConfig = registerError('sdk', 40, 'error in app.toml');
export const ErrInvalidGasLimit = registerError('sdk', 41, 'invalid gas limit');
