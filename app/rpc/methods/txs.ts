/** Committed transactions: tx and tx_search, with optional inclusion proofs. */
import type { IndexedTx } from '../../consensus/types.js';
import type { RpcBackend } from '../backend.js';
import { hex, int64 } from '../encoding/primitives.js';
import { resultTxJson, txProofJson, type TxProofJson } from '../encoding/tx.js';
import { RpcError } from '../jsonrpc.js';
import { method, P, type Method } from './method.js';
import { checkPageInRange, resolveOrder, resolvePage, resolvePerPage } from './paging.js';

async function proofFor(store: RpcBackend['blockStore'], t: IndexedTx): Promise<TxProofJson> {
  const stored = await store.loadBlock(t.height);
  if (stored === undefined) throw RpcError.internal(`block ${t.height} holding tx ${hex(t.hash)} is not available for a proof`);
  return txProofJson(stored.block.data.txs, t.index);
}

const tx = method([P.hash, P.prove], async ({ backend }, p) => {
  const hash = p.requireBytes('hash');
  const found = await backend.blockStore.txByHash(hash);
  if (found === undefined) throw RpcError.internal(`tx (${hex(hash)}) not found`);
  return resultTxJson(found, p.bool('prove') ? await proofFor(backend.blockStore, found) : undefined);
});

const txSearch = method([P.query, P.prove, P.page, P.perPage, P.orderBy], async ({ backend }, p) => {
  const query = p.requireString('query');
  const perPage = resolvePerPage(p.int('per_page'));
  const page = resolvePage(p.int('page'));
  const order = resolveOrder(p.string('order_by'), 'asc');
  const { txs, total } = await backend.blockStore.searchTxs(query, page, perPage, order);
  checkPageInRange(page, perPage, total);
  const prove = p.bool('prove') ?? false;
  const results = await Promise.all(txs.map(async (t) => resultTxJson(t, prove ? await proofFor(backend.blockStore, t) : undefined)));
  return { txs: results, total_count: int64(total) };
});

export const txMethods: Record<string, Method> = { tx, tx_search: txSearch };
