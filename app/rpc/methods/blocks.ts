/** Block data: block, block_by_hash, header, header_by_hash, block_results, blockchain, commit, block_search. */
import { blockMetaJson, commitJson, headerJson, resultBlockJson } from '../encoding/block.js';
import { blockResultsJson } from '../encoding/abci.js';
import { int64 } from '../encoding/primitives.js';
import { RpcError } from '../jsonrpc.js';
import { method, P, type Method } from './method.js';
import { checkPageInRange, resolveHeight, resolveOrder, resolvePage, resolvePerPage } from './paging.js';

/** `blockchain` returns at most this many block metas (CometBFT rpc/core/blocks.go). */
export const MAX_BLOCKCHAIN_METAS = 20;

const block = method([P.height], async ({ backend }, p) => {
  const height = resolveHeight(backend.blockStore, p.int('height'));
  return resultBlockJson(height > 0 ? await backend.blockStore.loadBlock(height) : undefined);
});

const blockByHash = method([P.hash], async ({ backend }, p) => {
  return resultBlockJson(await backend.blockStore.loadBlockByHash(p.requireBytes('hash')));
});

const header = method([P.height], async ({ backend }, p) => {
  const height = resolveHeight(backend.blockStore, p.int('height'));
  const stored = height > 0 ? await backend.blockStore.loadBlock(height) : undefined;
  return { header: stored ? headerJson(stored.block.header) : null };
});

const headerByHash = method([P.hash], async ({ backend }, p) => {
  const stored = await backend.blockStore.loadBlockByHash(p.requireBytes('hash'));
  return { header: stored ? headerJson(stored.block.header) : null };
});

const blockResults = method([P.height], async ({ backend }, p) => {
  const height = resolveHeight(backend.blockStore, p.int('height'));
  const results = height > 0 ? await backend.blockStore.loadResults(height) : undefined;
  if (results === undefined) throw RpcError.internal(`could not find results for height #${height}`);
  return blockResultsJson(height, results);
});

const blockchain = method(
  [
    { name: 'minHeight', kind: 'int' },
    { name: 'maxHeight', kind: 'int' },
  ],
  async ({ backend }, p) => {
    const store = backend.blockStore;
    const latest = store.height();
    let min = p.int('minHeight') ?? 0;
    let max = p.int('maxHeight') ?? 0;
    if (min < 0 || max < 0) throw RpcError.invalidParams('heights must be non-negative');
    // CometBFT filterMinMax: defaults, clamp to [base, latest], then to the last 20.
    if (min === 0) min = 1;
    if (max === 0) max = latest;
    max = Math.min(latest, max);
    min = Math.max(store.base(), min, max - MAX_BLOCKCHAIN_METAS + 1);
    if (min > max) throw RpcError.internal(`min height ${min} can't be greater than max height ${max}`);
    const heights: number[] = [];
    for (let h = max; h >= min; h--) heights.push(h);
    const blocks = await Promise.all(heights.map((h) => store.loadBlock(h)));
    return { last_height: int64(latest), block_metas: blocks.flatMap((b) => (b ? [blockMetaJson(b)] : [])) };
  },
);

const commit = method([P.height], async ({ backend }, p) => {
  const store = backend.blockStore;
  const height = resolveHeight(store, p.int('height'));
  const [stored, c] = height > 0 ? await Promise.all([store.loadBlock(height), store.loadCommit(height)]) : [];
  if (stored === undefined || c === undefined) throw RpcError.internal(`commit for height ${height} not found`);
  // The tip's commit is this node's seen commit, not yet the canonical one in block height+1.
  return { signed_header: { header: headerJson(stored.block.header), commit: commitJson(c) }, canonical: height < store.height() };
});

const blockSearch = method([P.query, P.page, P.perPage, P.orderBy], async ({ backend }, p) => {
  const query = p.requireString('query');
  const perPage = resolvePerPage(p.int('per_page'));
  const page = resolvePage(p.int('page'));
  const order = resolveOrder(p.string('order_by'), 'desc');
  const { heights, total } = await backend.blockStore.searchBlocks(query, page, perPage, order);
  checkPageInRange(page, perPage, total);
  const blocks = await Promise.all(heights.map((h) => backend.blockStore.loadBlock(h)));
  return { blocks: blocks.flatMap((b) => (b ? [resultBlockJson(b)] : [])), total_count: int64(total) };
});

export const blockMethods: Record<string, Method> = {
  block,
  block_by_hash: blockByHash,
  header,
  header_by_hash: headerByHash,
  block_results: blockResults,
  blockchain,
  commit,
  block_search: blockSearch,
};
