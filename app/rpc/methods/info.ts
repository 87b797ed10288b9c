/** Node and app information: status, health, net_info, abci_info, abci_query, genesis. */
import type { RpcNodeInfo } from '../backend.js';
import { abciInfoJson, abciQueryJson } from '../encoding/abci.js';
import { pubKeyJson } from '../encoding/keys.js';
import { hex, int64 } from '../encoding/primitives.js';
import { GO_ZERO_TIME_RFC3339, rfc3339 } from '../encoding/time.js';
import { RpcError } from '../jsonrpc.js';
import { method, P, type Method } from './method.js';

/**
 * The CometBFT release whose RPC this server speaks. cosmjs `connectComet` picks its
 * decoder from the `0.38.` prefix of `node_info.version`.
 */
export const COMETBFT_VERSION = '0.38.17';

/** p2p/block protocol versions of CometBFT 0.38 (version/version.go). */
const P2P_PROTOCOL = '8';
const BLOCK_PROTOCOL = '11';

export function nodeInfoJson(ni: RpcNodeInfo, rpcAddress: string): Record<string, unknown> {
  return {
    protocol_version: { p2p: P2P_PROTOCOL, block: BLOCK_PROTOCOL, app: int64(ni.appProtocolVersion ?? 0n) },
    id: ni.id,
    listen_addr: ni.listenAddr,
    network: ni.network,
    version: COMETBFT_VERSION,
    channels: ni.channels ?? '',
    moniker: ni.moniker,
    other: { tx_index: 'on', rpc_address: rpcAddress },
  };
}

const status = method([], async ({ backend, rpcAddress }) => {
  const store = backend.blockStore;
  const latestHeight = store.height();
  const baseHeight = store.base();
  const [latest, earliest] = await Promise.all([
    latestHeight > 0 ? store.loadBlock(latestHeight) : undefined,
    baseHeight > 0 ? store.loadBlock(baseHeight) : undefined,
  ]);
  const vi = backend.validatorInfo();
  return {
    node_info: nodeInfoJson(backend.nodeInfo(), rpcAddress),
    sync_info: {
      latest_block_hash: hex(latest?.blockId.hash),
      latest_app_hash: hex(latest?.block.header.appHash),
      latest_block_height: int64(latestHeight),
      latest_block_time: latest ? rfc3339(latest.block.header.time) : GO_ZERO_TIME_RFC3339,
      earliest_block_hash: hex(earliest?.blockId.hash),
      earliest_app_hash: hex(earliest?.block.header.appHash),
      earliest_block_height: int64(baseHeight),
      earliest_block_time: earliest ? rfc3339(earliest.block.header.time) : GO_ZERO_TIME_RFC3339,
      catching_up: backend.catchingUp(),
    },
    validator_info: { address: hex(vi.address), pub_key: pubKeyJson(vi.pubKey), voting_power: int64(vi.votingPower) },
  };
});

const health = method([], async () => ({}));

const netInfo = method([], async ({ backend, rpcAddress }) => {
  const peers = backend.peers?.() ?? [];
  return {
    listening: true,
    listeners: [`Listener(@${backend.nodeInfo().listenAddr})`],
    n_peers: int64(peers.length),
    peers: peers.map((p) => ({ node_info: nodeInfoJson(p.nodeInfo, rpcAddress), is_outbound: p.isOutbound, remote_ip: p.remoteIp })),
  };
});

const abciInfo = method([], async ({ backend }) => ({ response: abciInfoJson(await backend.app.info()) }));

const abciQuery = method(
  [
    { name: 'path', kind: 'string' },
    { name: 'data', kind: 'hex' },
    P.height,
    P.prove,
  ],
  async ({ backend }, p) => {
    const height = p.int('height') ?? 0;
    if (height < 0) throw RpcError.invalidParams(`height must be non-negative, given ${height}`);
    const res = await backend.app.query({
      path: p.string('path') ?? '',
      data: p.bytes('data') ?? new Uint8Array(),
      height: BigInt(height),
      prove: p.bool('prove') ?? false,
    });
    // A query against the latest state that forgot its height would break
    // @cosmjs/stargate ("No query height returned"); the latest state is the tip's.
    const filled = res.height === 0n && height === 0 && res.code === 0 ? { ...res, height: BigInt(backend.blockStore.height()) } : res;
    return { response: abciQueryJson(filled) };
  },
);

const genesis = method([], async ({ backend }) => ({ genesis: backend.genesis() }));

export const infoMethods: Record<string, Method> = {
  status,
  health,
  net_info: netInfo,
  abci_info: abciInfo,
  abci_query: abciQuery,
  genesis,
};
