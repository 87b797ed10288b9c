/**
 * JSON-RPC 2.0 envelopes and errors as CometBFT's rpc/jsonrpc/types sends them: the
 * `message` is the fixed text for the code and `data` carries the detail, always with
 * HTTP 200 (cosmjs throws on any status ≥ 400 before reading the body).
 */

/** A request id: CometBFT accepts strings and numbers; URI (GET) calls use -1. */
export type RpcId = string | number;

export const URI_REQUEST_ID: RpcId = -1;

export const ErrorCode = {
  ParseError: -32700,
  InvalidRequest: -32600,
  MethodNotFound: -32601,
  InvalidParams: -32602,
  InternalError: -32603,
  ServerError: -32000,
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

const MESSAGES: Record<ErrorCode, string> = {
  [ErrorCode.ParseError]: 'Parse error',
  [ErrorCode.InvalidRequest]: 'Invalid Request',
  [ErrorCode.MethodNotFound]: 'Method not found',
  [ErrorCode.InvalidParams]: 'Invalid params',
  [ErrorCode.InternalError]: 'Internal error',
  [ErrorCode.ServerError]: 'Server error',
};

export interface RpcErrorObject {
  code: number;
  message: string;
  data?: string;
}

export interface RpcSuccessResponse {
  jsonrpc: '2.0';
  id: RpcId;
  result: unknown;
}

export interface RpcErrorResponse {
  jsonrpc: '2.0';
  id: RpcId | null;
  error: RpcErrorObject;
}

export type RpcResponse = RpcSuccessResponse | RpcErrorResponse;

/** An error a method reports to the caller; anything else thrown becomes -32603. */
export class RpcError extends Error {
  override readonly name = 'RpcError';

  constructor(
    readonly code: ErrorCode,
    readonly data: string,
  ) {
    super(`${MESSAGES[code]}: ${data}`);
  }

  toObject(): RpcErrorObject {
    return { code: this.code, message: MESSAGES[this.code], ...(this.data !== '' ? { data: this.data } : {}) };
  }

  static parse(detail: string): RpcError {
    return new RpcError(ErrorCode.ParseError, detail);
  }
  static invalidRequest(detail: string): RpcError {
    return new RpcError(ErrorCode.InvalidRequest, detail);
  }
  static methodNotFound(method: string): RpcError {
    return new RpcError(ErrorCode.MethodNotFound, `method ${JSON.stringify(method)} is not supported`);
  }
  static invalidParams(detail: string): RpcError {
    return new RpcError(ErrorCode.InvalidParams, detail);
  }
  static internal(detail: string): RpcError {
    return new RpcError(ErrorCode.InternalError, detail);
  }
  static server(detail: string): RpcError {
    return new RpcError(ErrorCode.ServerError, detail);
  }
}

export function success(id: RpcId, result: unknown): RpcSuccessResponse {
  return { jsonrpc: '2.0', id, result };
}

export function failure(id: RpcId | null, err: RpcError): RpcErrorResponse {
  return { jsonrpc: '2.0', id, error: err.toObject() };
}

/** Any thrown value as an RpcError; unknown errors keep their message but never their stack. */
export function toRpcError(err: unknown): RpcError {
  if (err instanceof RpcError) return err;
  return RpcError.internal(err instanceof Error ? err.message : String(err));
}

/**
 * Serialize a response. BigInts that slipped through (e.g. in a genesis document
 * supplied by the node) are written as decimal strings, like every other int64.
 */
export function serialize(payload: RpcResponse | RpcResponse[]): string {
  return JSON.stringify(payload, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString(10) : v));
}
