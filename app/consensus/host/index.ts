/** The consensus host: the Tendermint engine run with the node's WAL, privval, app, block store, mempool and a transport. */
export { createConsensusHost, EPOCH_END_EVENT, MAX_QUEUED_EVENTS, MAX_EVIDENCE_IN_FLIGHT, type ConsensusHost, type ConsensusHostInit } from './host.js';
export type { ConsensusTransport, TransportHandlers, PeerId, PeerReportReason } from './transport.js';
export { createMemoryNetwork, type MemoryNetwork, type MemoryReport } from './memory-transport.js';
export { encodeWire, decodeWire, encodeCommitResponse, decodeCommitResponse, WireError, TAG_PROPOSAL, TAG_VOTE, TAG_EVIDENCE, TAG_CHECKPOINT_SIGNATURE, type WireMessage } from './codec.js';
export { BLOCK_PROTOCOL, medianTime, buildBlock, blockTimeFor, BlockBuildError, type BuiltBlock } from './block.js';
export { loadChainState, advanceChainState, sameValidators, ChainStateError, type ChainState } from './chain-state.js';
export { validateBlock, commitProblem, type ProcessProposal, type Validation } from './validate.js';
export { applyBlock, type Applied } from './apply.js';
export { ConsensusHostError, type HostLogger } from './types.js';
export { createCheckpointCollector, REGOSSIP_BLOCKS, type CheckpointCollector, type CheckpointFields, type CheckpointSigner } from './checkpoints.js';
export { encodeCheckpoint, decodeCheckpoint, encodeCheckpointSignature, decodeCheckpointSignature, CheckpointCodecError, type CheckpointSignatureMessage } from './checkpoint-codec.js';
