/**
 * The Tendermint BFT engine: the sans-IO state machine and what hosts need around it.
 * Browser-safe except `crypto.ts` and `wal.ts` (node:crypto, node:fs), which are
 * exported from `./node.js` instead.
 */
export * from './types.js';
export { DEFAULT_ENGINE_CONFIG, engineConfig, timeoutFor } from './config.js';
export { createEngine, type Engine, type EngineInit } from './engine.js';
export * from './proposer.js';
export { VoteSet, overOneThird, overTwoThirds, type AddVoteResult } from './voteset.js';
export { HeightVotes } from './heightvotes.js';
export { makeDuplicateVoteEvidence, verifyDuplicateVoteEvidence, EvidenceError, type VerifyEvidenceOptions } from './evidence.js';
export { commitFromVotes, verifiedCommitVotes, verifyCommitWith, voteFromCommit } from './commit.js';
export { blockKey, NIL_KEY, ZERO_BLOCK_ID, wellFormedBlockId, compareBlockIdKeys } from './ids.js';
export { voteProblem, proposalProblem } from './wellformed.js';
