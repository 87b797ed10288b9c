/**
 * broadcast_tx_async / _sync / _commit (CometBFT rpc/core/mempool.go). Mempool-level
 * refusals (full, duplicate, too large) are JSON-RPC errors, as in CometBFT; a CheckTx
 * rejection is a result with a non-zero `code`.
 */
import type { ExecTxResult } from 'cosmjs-types/tendermint/abci/types';
import { txResultJson } from '../encoding/abci.js';
import { b64, hex, int64 } from '../encoding/primitives.js';
import { txHash } from '../../consensus/encoding/hashes.js';
import { RpcError } from '../jsonrpc.js';
import { method, P, type Method } from './method.js';

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

const broadcastTxAsync = method([P.tx], async ({ backend, options }, p) => {
  const tx = p.requireBytes('tx');
  // Checked in the background: the caller only learns the hash.
  void Promise.resolve()
    .then(() => backend.mempool.add(tx))
    .catch((err: unknown) => options.logger.debug({ err: errorText(err) }, 'rpc: broadcast_tx_async tx refused'));
  return { code: 0, data: '', log: '', codespace: '', hash: hex(txHash(tx)) };
});

const broadcastTxSync = method([P.tx], async ({ backend }, p) => {
  const tx = p.requireBytes('tx');
  let res;
  try {
    res = await backend.mempool.add(tx);
  } catch (err) {
    throw RpcError.internal(`error on broadcastTxSync: ${errorText(err)}`);
  }
  return { code: res.code, data: b64(res.data), log: res.log, codespace: res.codespace, hash: hex(txHash(tx)) };
});

const EMPTY_EXEC_RESULT: ExecTxResult = { code: 0, data: new Uint8Array(), log: '', info: '', gasWanted: 0n, gasUsed: 0n, events: [], codespace: '' };

const broadcastTxCommit = method([P.tx], async ({ backend, hub, options }, p) => {
  const tx = p.requireBytes('tx');
  const hash = txHash(tx);
  const wait = hub.waitForTx(hash, options.timeoutBroadcastTxCommitMs);
  let check;
  try {
    check = await backend.mempool.add(tx);
  } catch (err) {
    wait.cancel();
    throw RpcError.internal(`error on broadcastTxCommit: ${errorText(err)}`);
  }
  if (check.code !== 0) {
    wait.cancel();
    return { check_tx: txResultJson(check), tx_result: txResultJson(EMPTY_EXEC_RESULT), hash: hex(hash), height: '0' };
  }
  const committed = await wait.promise;
  return { check_tx: txResultJson(check), tx_result: txResultJson(committed.result), hash: hex(hash), height: int64(committed.height) };
});

/** Mempool reaping limits meaning "everything" (int64 max gas, as CometBFT's -1). */
const ALL_BYTES = Number.MAX_SAFE_INTEGER;
const ALL_GAS = (1n << 63n) - 1n;

const numUnconfirmedTxs = method([], async ({ backend }) => {
  const n = int64(backend.mempool.size());
  return { n_txs: n, total: n, total_bytes: int64(backend.mempool.bytes()), txs: null };
});

const unconfirmedTxs = method([{ name: 'limit', kind: 'int' }], async ({ backend }, p) => {
  const requested = p.int('limit');
  if (requested !== undefined && requested < 0) throw RpcError.invalidParams(`limit must be a positive integer, given ${requested}`);
  const limit = requested === undefined || requested === 0 ? 30 : Math.min(requested, 100);
  const txs = backend.mempool.reap(ALL_BYTES, ALL_GAS).slice(0, limit);
  return {
    n_txs: int64(txs.length),
    total: int64(backend.mempool.size()),
    total_bytes: int64(backend.mempool.bytes()),
    txs: txs.map(b64),
  };
});

export const mempoolMethods: Record<string, Method> = {
  broadcast_tx_async: broadcastTxAsync,
  broadcast_tx_sync: broadcastTxSync,
  broadcast_tx_commit: broadcastTxCommit,
  num_unconfirmed_txs: numUnconfirmedTxs,
  unconfirmed_txs: unconfirmedTxs,
};
