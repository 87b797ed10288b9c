/**
 * The seam between the node (consensus, mempool, RPC) and the state machine, shaped
 * like ABCI 2.0 so the block/result types are CometBFT's own (cosmjs-types).
 * Consensus calls finalizeBlock then commit for each decided block; the mempool calls
 * checkTx; RPC calls info and query.
 */
import type {
  CheckTxType,
  RequestFinalizeBlock,
  RequestQuery,
  ResponseCheckTx,
  ResponseFinalizeBlock,
  ResponseInfo,
  ResponseQuery,
  ValidatorUpdate,
} from 'cosmjs-types/tendermint/abci/types';
import type { BatchOp } from './store/types.js';

export interface Application {
  info(): Promise<ResponseInfo>;
  /** Validate a tx against the check state (committed state + txs already admitted). */
  checkTx(tx: Uint8Array, type: CheckTxType): Promise<ResponseCheckTx>;
  /** Run a decided block; returns per-tx results and the app hash this block commits. */
  finalizeBlock(req: RequestFinalizeBlock): Promise<ResponseFinalizeBlock>;
  /**
   * Persist the state of the last finalized block atomically with `extra` (the block
   * store's records for that block), then reset the check state.
   */
  commit(extra?: BatchOp[]): Promise<void>;
  query(req: RequestQuery): Promise<ResponseQuery>;
  /** Validator set at genesis (from InitChain), used by consensus when the block store is empty. */
  genesisValidators(): ValidatorUpdate[];
}
