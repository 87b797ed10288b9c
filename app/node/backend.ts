/** The node's objects seen through the RPC server's narrow `RpcBackend` interface. */
import type { ChainBlockStore } from '../consensus/blockstore.js';
import type { GutsMempool } from '../consensus/mempool.js';
import type { ConsensusEngine, PrivValidator } from '../consensus/types.js';
import { ed25519Of, findValidator } from '../consensus/validators.js';
import type { RpcBackend, RpcPeer, RpcValidator } from '../rpc/index.js';
import type { GutsApp } from '../chain/app.js';
import type { Genesis } from '../../genesis/doc.js';

export interface BackendParts {
  nodeId: string;
  moniker: string;
  genesis: Genesis;
  genesisJson: unknown;
  app: GutsApp;
  blockStore: ChainBlockStore;
  mempool: GutsMempool;
  consensus: ConsensusEngine;
  pv: PrivValidator;
  /** P2P listen address once the P2P layer exists; `none` until then (cosmjs requires a non-empty listen_addr). */
  p2pListen?: string;
  /** `status.sync_info.catching_up`: the node is following peers' commits rather than deciding in its own rounds. */
  catchingUp?: () => boolean;
  /** Connected peers for `net_info` (the p2p layer's). */
  peers?: () => RpcPeer[];
}

export function createRpcBackend(p: BackendParts): RpcBackend {
  const validatorsAt = async (height: number): Promise<RpcValidator[] | undefined> => {
    const set = await p.blockStore.loadValidators(height);
    return set?.validators.map((v) => ({ address: v.address, pubKey: ed25519Of(v.pubKey!), votingPower: v.votingPower, proposerPriority: v.proposerPriority }));
  };
  let power = 0n;
  const refresh = () => void ownVotingPower(p.blockStore, p.pv).then((v) => (power = v), () => undefined);
  refresh();
  p.consensus.onBlock(refresh);
  return {
    nodeInfo: () => ({ id: p.nodeId, listenAddr: p.p2pListen ?? 'none', network: p.genesis.chainId, moniker: p.moniker, appProtocolVersion: p.genesis.consensusParams.appVersion }),
    validatorInfo: () => ({ address: p.pv.address, pubKey: p.pv.pubKey, votingPower: power }),
    genesis: () => p.genesisJson,
    app: p.app,
    blockStore: p.blockStore,
    mempool: p.mempool,
    consensus: p.consensus,
    validators: validatorsAt,
    consensusParams: (height) => p.blockStore.loadConsensusParams(height),
    catchingUp: () => p.catchingUp?.() ?? false,
    peers: p.peers,
  };
}

/** Voting power of this node's validator in the set for the next block (for `status`). */
export async function ownVotingPower(blockStore: ChainBlockStore, pv: PrivValidator): Promise<bigint> {
  const set = await blockStore.loadValidators(blockStore.height() + 1);
  return set ? (findValidator(set, pv.address)?.validator.votingPower ?? 0n) : 0n;
}
