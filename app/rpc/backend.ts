/**
 * What the RPC server needs from the node. Declared here, by the caller, so the node
 * can hand over its full objects and tests can pass small fakes.
 */
import type { ConsensusParams } from 'cosmjs-types/tendermint/types/params';
import type { Application } from '../abci.js';
import type { ChainBlockStore } from '../consensus/blockstore.js';
import type { BlockStore, ConsensusEngine, Mempool } from '../consensus/types.js';

export interface RpcNodeInfo {
  /** Node id: hex of the first 20 bytes of SHA-256 of the node's p2p public key. */
  id: string;
  /** P2P listen address, e.g. `tcp://0.0.0.0:26656`. */
  listenAddr: string;
  /** Chain id. */
  network: string;
  moniker: string;
  /** App protocol version reported in `node_info.protocol_version.app` (default 0). */
  appProtocolVersion?: bigint;
  /** Hex list of p2p channel ids (CometBFT `channels`); may be empty. */
  channels?: string;
}

export interface RpcValidator {
  address: Uint8Array;
  /** Ed25519 public key (32 bytes). */
  pubKey: Uint8Array;
  votingPower: bigint;
  proposerPriority: bigint;
}

export interface RpcPeer {
  nodeInfo: RpcNodeInfo;
  isOutbound: boolean;
  remoteIp: string;
}

export interface RpcBackend {
  nodeInfo(): RpcNodeInfo;
  /** This node's validator key and power (power 0 when it is not in the set). */
  validatorInfo(): { address: Uint8Array; pubKey: Uint8Array; votingPower: bigint };
  /** The genesis document's JSON object, returned as-is by `genesis`. */
  genesis(): unknown;
  app: Pick<Application, 'info' | 'query'>;
  blockStore: Pick<
    BlockStore,
    'base' | 'height' | 'loadBlock' | 'loadBlockByHash' | 'loadCommit' | 'loadResults' | 'txByHash' | 'searchTxs' | 'searchBlocks'
  > &
    /** Epoch checkpoints (`checkpoint`, `checkpoints`); the node's block store has them. */
    Partial<Pick<ChainBlockStore, 'loadCheckpoint' | 'checkpointHeights'>>;
  /**
   * `add` runs CheckTx and admits the tx (it may throw for mempool-level refusals such
   * as a full mempool or a duplicate); `reap` must not remove txs (it lists them for
   * `unconfirmed_txs`).
   */
  mempool: Pick<Mempool, 'add' | 'size' | 'bytes' | 'reap'>;
  consensus: Pick<ConsensusEngine, 'onBlock'>;
  /** Validator set that signs block `height` (heights up to latest + 1 are asked for). */
  validators(height: number): Promise<RpcValidator[] | undefined>;
  consensusParams(height: number): Promise<ConsensusParams | undefined>;
  catchingUp(): boolean;
  /** Connected peers for `net_info`; none when omitted. */
  peers?(): RpcPeer[];
}
