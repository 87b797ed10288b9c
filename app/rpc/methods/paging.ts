/** Height and page arguments, validated with CometBFT's rules and messages (rpc/core/env.go). */
import type { RpcBackend } from '../backend.js';
import { RpcError } from '../jsonrpc.js';

export const DEFAULT_PER_PAGE = 30;
export const MAX_PER_PAGE = 100;

/**
 * The height a call is about: the latest when absent, else one in [base, latest + extra]
 * (`extra` is 1 for validators/consensus_params, known one block ahead).
 */
export function resolveHeight(store: RpcBackend['blockStore'], height: number | undefined, extra = 0): number {
  const latest = store.height() + extra;
  if (height === undefined) return latest;
  if (height <= 0) throw RpcError.internal(`height must be greater than 0, but got ${height}`);
  if (height > latest) {
    throw RpcError.internal(`height ${height} must be less than or equal to the current blockchain height ${latest}`);
  }
  const base = store.base();
  if (height < base) throw RpcError.internal(`height ${height} is not available, lowest height is ${base}`);
  return height;
}

/** per_page: absent or 0 → 30, capped at 100; negative is a bad parameter. */
export function resolvePerPage(perPage: number | undefined): number {
  if (perPage === undefined || perPage === 0) return DEFAULT_PER_PAGE;
  if (perPage < 0) throw RpcError.invalidParams(`per_page must be a positive integer, given ${perPage}`);
  return Math.min(perPage, MAX_PER_PAGE);
}

/** page: absent → 1; below 1 is a bad parameter. */
export function resolvePage(page: number | undefined): number {
  if (page === undefined) return 1;
  if (page < 1) throw RpcError.invalidParams(`page must be a positive integer, given ${page}`);
  return page;
}

/** After the count is known: a page past the last one is CometBFT's ErrPageOutOfRange. */
export function checkPageInRange(page: number, perPage: number, total: number): void {
  const pages = Math.max(1, Math.ceil(total / perPage));
  if (page > pages) throw RpcError.internal(`page should be within [1, ${pages}] range, given ${page}`);
}

/** order_by: `asc`, `desc`, or empty for the method's default (tx_search: asc, block_search: desc). */
export function resolveOrder(orderBy: string | undefined, fallback: 'asc' | 'desc'): 'asc' | 'desc' {
  if (orderBy === undefined || orderBy === '') return fallback;
  if (orderBy === 'asc' || orderBy === 'desc') return orderBy;
  throw RpcError.invalidParams('expected order_by to be either `asc` or `desc` or empty');
}
