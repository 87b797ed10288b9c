/** The consensus side of the node: what the node wiring and the RPC import. */
export * from './types.js';
export * from './encoding/index.js';
export { createBlockStore, blockStoreSublevels, BlockStoreError, type ChainBlockStore, type BlockStoreSublevels, type Sublevel } from './blockstore.js';
export { indexedAttributes } from './txindex.js';
export { parseQuery, matchEvents, matchValue, QueryParseError, type Condition, type QueryOp, type Operand } from './query.js';
export { createMempool, protoSizeInData, MEMPOOL_DEFAULTS, type GutsMempool, type MempoolInit } from './mempool.js';
export { createProducer, medianTime, ProducerError, BLOCK_PROTOCOL, type Producer, type ProducerInit, type ProducerLogger, type ProducerTimers } from './producer.js';
export { DEFAULT_CONSENSUS_PARAMS, MAX_BLOCK_SIZE_BYTES, maxDataBytes, updateConsensusParams, validateConsensusParams, ConsensusParamsError } from './params.js';
export {
  generateFilePV,
  loadFilePV,
  loadOrGenFilePV,
  writeFileAtomic,
  DoubleSignError,
  PrivValidatorFileError,
  type FilePV,
  type LastSignState,
} from './privval.js';
export {
  addressFromEd25519,
  applyValidatorUpdates,
  validatorSetFromUpdates,
  hashValidatorSet,
  findValidator,
  sortValidators,
  totalVotingPower,
  ValidatorSetError,
} from './validators.js';
export { verifyCommit, verifyCommitLight, verifyCommitLightTrusting, commitVoteSignBytes, blockIdsEqual, CommitVerificationError } from './verify.js';
export { verifyEd25519 } from './ed25519.js';
