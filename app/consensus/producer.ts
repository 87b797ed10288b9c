/**
 * Single-validator block producer (superseded: nodes run the Tendermint engine through
 * `host/`; this stays only while `index.ts` still exports it). A ConsensusEngine for a chain whose validator set
 * this node's key alone can commit (more than 2/3 of the power; in practice the one
 * genesis validator). Every `blockInterval` it reaps the mempool, builds block H with
 * a full CometBFT header, executes it (FinalizeBlock), signs a real precommit (the
 * commit for H, stored as the seen commit; H+1's last_commit) and commits state and
 * block store in one batch. Blocks, hashes and commits are exactly CometBFT's, so
 * light clients and RPC clients cannot tell this from a one-validator CometBFT chain.
 *
 * The only clock read is the precommit timestamp (max(now, block time + 1 ms), as
 * CometBFT's voteTime); block H+1's time is that timestamp (BFT time, the weighted
 * median of H's commit). Everything else follows from stored data, so a restart
 * resumes exactly where the last committed batch left off.
 */
import type { Timestamp } from 'cosmjs-types/google/protobuf/timestamp';
import type { CommitInfo, ResponseFinalizeBlock } from 'cosmjs-types/tendermint/abci/types';
import type { Block } from 'cosmjs-types/tendermint/types/block';
import type { ConsensusParams } from 'cosmjs-types/tendermint/types/params';
import { SignedMsgType, type BlockID, type Commit, type CommitSig } from 'cosmjs-types/tendermint/types/types';
import { BlockIDFlag, type ValidatorSet } from 'cosmjs-types/tendermint/types/validator';
import type { Application } from '../abci.js';
import type { BatchOp } from '../store/types.js';
import type { ChainBlockStore } from './blockstore.js';
import { blockIdOf } from './encoding/block.js';
import { commitHash, consensusParamsHash, dataHash, evidenceHash, resultsHash } from './encoding/hashes.js';
import { txHashOf } from './txindex.js';
import { emptyHash } from './encoding/merkle.js';
import { addMs, compareTimestamps, GO_ZERO_TIME, timestampFromMs, timestampToMs } from './encoding/time.js';
import { DEFAULT_CONSENSUS_PARAMS, maxDataBytes, updateConsensusParams, validateConsensusParams } from './params.js';
import { DoubleSignError } from './privval.js';
import type { ConsensusEngine, LockableMempool, NewBlockEvent, PrivValidator, StoredBlock } from './types.js';
import { applyValidatorUpdates, bytesEqual, findValidator, hashValidatorSet, totalVotingPower, validatorSetFromUpdates } from './validators.js';
import { verifyCommit } from './verify.js';
import { BLOCK_PROTOCOL, medianTime } from './host/block.js';

export { BLOCK_PROTOCOL, medianTime };

export interface ProducerLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface ProducerTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface ProducerInit {
  app: Application;
  blockStore: ChainBlockStore;
  mempool: LockableMempool;
  privValidator: PrivValidator;
  chainId: string;
  /** Genesis `initial_height` (default 1). */
  initialHeight?: number;
  /** Genesis time: the time of the block at the initial height. */
  genesisTime: Timestamp;
  /** Genesis consensus params (CometBFT defaults when omitted). */
  consensusParams?: ConsensusParams;
  /** Milliseconds between the end of one block and the start of the next (CometBFT timeout_commit; default 1000). */
  blockInterval?: number;
  /** Produce blocks with no txs (default true); when false, only when txs wait or the app hash must be committed. */
  createEmptyBlocks?: boolean;
  /** Wall clock in ms since the epoch (default Date.now); read only for vote timestamps and the genesis wait. */
  now?: () => number;
  timers?: ProducerTimers;
  logger?: ProducerLogger;
  /** Called once if block production halts on an error (the node should exit: state may need an operator). */
  onFatal?: (err: Error) => void;
}

export interface Producer extends ConsensusEngine {
  /** Produce, execute, sign and commit the next block now (the loop calls this; tests may too). */
  produceBlock(): Promise<NewBlockEvent>;
  /** Height of the last committed block (0 before the first). */
  height(): number;
}

export class ProducerError extends Error {
  override readonly name = 'ProducerError';
}

/** What the next block needs to know about the chain so far (CometBFT `state.State`). */
interface ChainState {
  lastBlockHeight: number;
  lastBlockId: BlockID;
  lastHeaderAppHash: Uint8Array;
  lastCommit: Commit | undefined;
  lastValidators: ValidatorSet | undefined;
  validators: ValidatorSet;
  nextValidators: ValidatorSet;
  params: ConsensusParams;
  appHash: Uint8Array;
  lastResultsHash: Uint8Array;
  appVersion: bigint;
}

const ZERO_BLOCK_ID: BlockID = { hash: new Uint8Array(0), partSetHeader: { total: 0, hash: new Uint8Array(0) } };
const EMPTY_COMMIT: Commit = { height: 0n, round: 0, blockId: ZERO_BLOCK_ID, signatures: [] };
const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('').toUpperCase();

const silentLogger: ProducerLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

function sameSet(a: ValidatorSet, b: ValidatorSet): boolean {
  return bytesEqual(hashValidatorSet(a), hashValidatorSet(b));
}

export function createProducer(init: ProducerInit): Producer {
  const { app, blockStore, mempool, privValidator: pv, chainId } = init;
  const initialHeight = init.initialHeight ?? 1;
  const interval = init.blockInterval ?? 1000;
  const createEmptyBlocks = init.createEmptyBlocks ?? true;
  const now = init.now ?? Date.now;
  const timers: ProducerTimers = init.timers ?? { setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout) };
  const log = init.logger ?? silentLogger;
  const listeners = new Set<(ev: NewBlockEvent) => void>();

  let state: ChainState | undefined;
  let running = false;
  let timer: unknown;
  let inFlight: Promise<unknown> | undefined;
  let halted: Error | undefined;

  /** Our validator must carry more than 2/3 of `set`'s power, or we could never commit alone. */
  function canCommitAlone(set: ValidatorSet): boolean {
    const me = findValidator(set, pv.address);
    return !!me && me.validator.votingPower * 3n > totalVotingPower(set) * 2n;
  }

  async function loadState(): Promise<ChainState> {
    const info = await app.info();
    const storeHeight = blockStore.height();
    const appHeight = Number(info.lastBlockHeight);
    if (storeHeight === 0) {
      if (appHeight !== 0) {
        throw new ProducerError(`the app is at height ${appHeight} but the block store is empty: the data directory is inconsistent (restore both or reset both)`);
      }
      const params = init.consensusParams ?? DEFAULT_CONSENSUS_PARAMS;
      validateConsensusParams(params);
      const validators = validatorSetFromUpdates(app.genesisValidators());
      return {
        lastBlockHeight: 0,
        lastBlockId: ZERO_BLOCK_ID,
        lastHeaderAppHash: info.lastBlockAppHash,
        lastCommit: undefined,
        lastValidators: undefined,
        validators,
        nextValidators: validators,
        params,
        appHash: info.lastBlockAppHash,
        lastResultsHash: emptyHash(),
        appVersion: info.appVersion,
      };
    }
    if (appHeight !== storeHeight) {
      throw new ProducerError(
        `the app is at height ${appHeight} but the block store at ${storeHeight}: state and blocks are committed in one batch, so the data directory is damaged`,
      );
    }
    const [meta, commit, results, lastValidators, validators, nextValidators, params] = await Promise.all([
      blockStore.loadBlockMeta(storeHeight),
      blockStore.loadCommit(storeHeight),
      blockStore.loadResults(storeHeight),
      blockStore.loadValidators(storeHeight),
      blockStore.loadValidators(storeHeight + 1),
      blockStore.loadValidators(storeHeight + 2),
      blockStore.loadConsensusParams(storeHeight + 1),
    ]);
    if (!meta || !commit || !results || !lastValidators || !validators || !nextValidators || !params) {
      throw new ProducerError(`block store at height ${storeHeight} lacks its block meta, commit, results, validators or params`);
    }
    if (!bytesEqual(results.appHash, info.lastBlockAppHash)) {
      throw new ProducerError(`app hash ${hex(info.lastBlockAppHash)} differs from the stored result ${hex(results.appHash)} at height ${storeHeight}`);
    }
    return {
      lastBlockHeight: storeHeight,
      lastBlockId: meta.blockId,
      lastHeaderAppHash: meta.header.appHash,
      lastCommit: commit,
      lastValidators,
      validators,
      nextValidators,
      params,
      appHash: results.appHash,
      lastResultsHash: resultsHash(results.txResults),
      appVersion: info.appVersion,
    };
  }

  function decidedLastCommit(s: ChainState): CommitInfo {
    if (!s.lastCommit || !s.lastValidators) return { round: 0, votes: [] };
    const vals = s.lastValidators;
    return {
      round: s.lastCommit.round,
      votes: s.lastCommit.signatures.map((sig, i) => ({
        validator: { address: vals.validators[i].address, power: vals.validators[i].votingPower },
        blockIdFlag: sig.blockIdFlag,
      })),
    };
  }

  /** Sign our precommit, moving to a later round if an earlier run signed a block it never committed. */
  async function signPrecommit(s: ChainState, height: number, blockId: BlockID, blockTime: Timestamp) {
    const me = findValidator(s.validators, pv.address);
    if (!me) throw new ProducerError('our validator left the set');
    const minTime = addMs(blockTime, 1);
    const wall = timestampFromMs(now());
    const timestamp = compareTimestamps(wall, minTime) > 0 ? wall : minTime;
    for (let round = 0; round < 1_000; round++) {
      const vote = {
        type: SignedMsgType.SIGNED_MSG_TYPE_PRECOMMIT,
        height: BigInt(height),
        round,
        blockId,
        timestamp,
        validatorAddress: pv.address,
        validatorIndex: me.index,
        signature: new Uint8Array(0),
        extension: new Uint8Array(0),
        extensionSignature: new Uint8Array(0),
      };
      try {
        return { index: me.index, vote: await pv.signVote(chainId, vote) };
      } catch (err) {
        if (!(err instanceof DoubleSignError)) throw err;
        log.warn({ height, round, err: err.message }, 'already signed another block at this height and round (restart after a crash?); trying the next round');
      }
    }
    throw new ProducerError(`could not sign a precommit for height ${height} in rounds 0-999`);
  }

  function nextValidatorSet(s: ChainState, height: number, res: ResponseFinalizeBlock): ValidatorSet {
    if (res.validatorUpdates.length === 0) return s.nextValidators;
    try {
      const updated = applyValidatorUpdates(s.nextValidators, res.validatorUpdates);
      if (!canCommitAlone(updated)) {
        log.error(
          { height, updates: res.validatorUpdates.length },
          'validator updates refused: this single-validator producer would no longer hold more than 2/3 of the power; the set is kept',
        );
        return s.nextValidators;
      }
      return updated;
    } catch (err) {
      log.error({ height, err: (err as Error).message }, 'invalid validator updates refused; the set is kept');
      return s.nextValidators;
    }
  }

  async function produce(): Promise<NewBlockEvent> {
    if (halted) throw halted;
    if (!state) state = await loadState();
    const s = state;
    if (!canCommitAlone(s.validators)) {
      throw new ProducerError(`this node's validator ${hex(pv.address)} does not hold more than 2/3 of the voting power: a single-validator producer cannot commit`);
    }
    const height = s.lastBlockHeight === 0 ? initialHeight : s.lastBlockHeight + 1;
    const lastCommit = s.lastCommit ?? EMPTY_COMMIT;
    const time = s.lastCommit && s.lastValidators ? medianTime(s.lastCommit, s.lastValidators) : init.genesisTime;
    const maxGas = s.params.block?.maxGas ?? -1n;
    const txs = mempool.reap(maxDataBytes(s.params, s.validators.validators.length), maxGas);
    const nextValidatorsHash = hashValidatorSet(s.nextValidators);

    const block: Block = {
      header: {
        version: { block: BLOCK_PROTOCOL, app: s.appVersion },
        chainId,
        height: BigInt(height),
        time,
        lastBlockId: s.lastBlockId,
        lastCommitHash: commitHash(lastCommit.signatures),
        dataHash: dataHash(txs, txHashOf),
        validatorsHash: hashValidatorSet(s.validators),
        nextValidatorsHash,
        consensusHash: consensusParamsHash(s.params.block?.maxBytes ?? 0n, maxGas),
        appHash: s.appHash,
        lastResultsHash: s.lastResultsHash,
        evidenceHash: evidenceHash([]),
        proposerAddress: pv.address,
      },
      data: { txs },
      evidence: { evidence: [] },
      lastCommit,
    };
    const { blockId, bytes } = blockIdOf(block);
    const stored: StoredBlock = { block, blockId, size: bytes.length };

    const res = await app.finalizeBlock({
      txs,
      decidedLastCommit: decidedLastCommit(s),
      misbehavior: [],
      hash: blockId.hash,
      height: BigInt(height),
      time,
      nextValidatorsHash,
      proposerAddress: pv.address,
    });
    if (res.txResults.length !== txs.length) throw new ProducerError(`FinalizeBlock returned ${res.txResults.length} results for ${txs.length} txs at height ${height}`);

    const { index, vote } = await signPrecommit(s, height, blockId, time);
    const signatures: CommitSig[] = s.validators.validators.map((_, i) =>
      i === index
        ? { blockIdFlag: BlockIDFlag.BLOCK_ID_FLAG_COMMIT, validatorAddress: pv.address, timestamp: vote.timestamp, signature: vote.signature }
        : { blockIdFlag: BlockIDFlag.BLOCK_ID_FLAG_ABSENT, validatorAddress: new Uint8Array(0), timestamp: GO_ZERO_TIME, signature: new Uint8Array(0) },
    );
    const seenCommit: Commit = { height: BigInt(height), round: vote.round, blockId, signatures };
    // Guard against our own bugs: never persist a commit a light client would reject.
    verifyCommit(chainId, s.validators, blockId, height, seenCommit);

    const nextNext = nextValidatorSet(s, height, res);
    const nextParams = updateConsensusParams(s.params, res.consensusParamUpdates);
    const ops: BatchOp[] = blockStore.saveOps(stored, seenCommit, res);
    if (s.lastBlockHeight === 0) {
      ops.push(...blockStore.validatorsOps(height, s.validators), ...blockStore.consensusParamsOps(height, s.params));
      if (!sameSet(s.nextValidators, s.validators)) ops.push(...blockStore.validatorsOps(height + 1, s.nextValidators));
    }
    if (!sameSet(nextNext, s.nextValidators)) ops.push(...blockStore.validatorsOps(height + 2, nextNext));
    if (nextParams !== s.params) ops.push(...blockStore.consensusParamsOps(height + 1, nextParams));

    await mempool.lockForCommit(async (locked) => {
      await app.commit(ops);
      blockStore.markSaved(height);
      await locked.update(height, txs);
    });

    state = {
      lastBlockHeight: height,
      lastBlockId: blockId,
      lastHeaderAppHash: s.appHash,
      lastCommit: seenCommit,
      lastValidators: s.validators,
      validators: s.nextValidators,
      nextValidators: nextNext,
      params: nextParams,
      appHash: res.appHash,
      lastResultsHash: resultsHash(res.txResults),
      appVersion: res.consensusParamUpdates?.version ? res.consensusParamUpdates.version.app : s.appVersion,
    };
    log.info({ height, txs: txs.length, hash: hex(blockId.hash), appHash: hex(res.appHash) }, 'committed block');
    const ev: NewBlockEvent = { block: stored, results: res };
    for (const l of listeners) {
      try {
        l(ev);
      } catch (err) {
        log.error({ height, err: (err as Error).message }, 'onBlock listener failed');
      }
    }
    return ev;
  }

  /** Serialise production: one block at a time, whether from the loop or a direct call. */
  function produceBlock(): Promise<NewBlockEvent> {
    const run = (inFlight ?? Promise.resolve()).then(produce, produce);
    inFlight = run.catch(() => undefined);
    return run;
  }

  /** CometBFT `needProofBlock`: the first block, or the last block changed the app hash, which only the next header can commit to. */
  function wantBlock(): boolean {
    if (createEmptyBlocks || mempool.size() > 0 || !state || state.lastBlockHeight === 0) return true;
    return !bytesEqual(state.appHash, state.lastHeaderAppHash);
  }

  function schedule(ms: number): void {
    if (!running) return;
    timer = timers.setTimeout(() => {
      timer = undefined;
      void tick();
    }, ms);
  }

  async function tick(): Promise<void> {
    if (!running) return;
    if (!wantBlock()) return schedule(interval);
    try {
      await produceBlock();
    } catch (err) {
      halted = err instanceof Error ? err : new Error(String(err));
      running = false;
      log.error({ err: halted.message, stack: halted.stack }, 'block production halted');
      init.onFatal?.(halted);
      return;
    }
    schedule(interval);
  }

  return {
    async start() {
      if (running) return;
      if (!state) state = await loadState();
      if (!canCommitAlone(state.validators)) {
        throw new ProducerError(`this node's validator ${hex(pv.address)} does not hold more than 2/3 of the voting power: a single-validator producer cannot commit`);
      }
      running = true;
      const wait = state.lastBlockHeight === 0 ? Math.max(0, timestampToMs(init.genesisTime) - now()) : 0;
      if (wait > 0) log.info({ genesisTime: timestampToMs(init.genesisTime), waitMs: wait }, 'waiting for genesis time');
      schedule(wait);
    },

    async stop() {
      running = false;
      if (timer !== undefined) timers.clearTimeout(timer);
      timer = undefined;
      await inFlight;
    },

    onBlock(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    produceBlock,
    height: () => state?.lastBlockHeight ?? blockStore.height(),
  };
}
