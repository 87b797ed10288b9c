/**
 * What the next block needs to know about the chain so far (CometBFT `state.State`),
 * loaded from the block store and the app on start and advanced after every commit.
 * Validator sets carry their proposer priorities (engine/proposer.ts): the set of
 * height h+1 is the set of h+1 as decided at h-1, and the app's updates from block h
 * apply at h+2 (CometBFT state/execution.go updateState). Every set is stored at the
 * height it takes effect from whenever it differs (priorities included), so a restart
 * reads back exactly the sets the chain used.
 */
import type { Timestamp } from 'cosmjs-types/google/protobuf/timestamp';
import type { ResponseFinalizeBlock } from 'cosmjs-types/tendermint/abci/types';
import type { ConsensusParams } from 'cosmjs-types/tendermint/types/params';
import type { BlockID, Commit } from 'cosmjs-types/tendermint/types/types';
import type { Validator, ValidatorSet } from 'cosmjs-types/tendermint/types/validator';
import type { Application } from '../../abci.js';
import type { BatchOp } from '../../store/types.js';
import type { ChainBlockStore } from '../blockstore.js';
import { resultsHash } from '../encoding/hashes.js';
import { emptyHash } from '../encoding/merkle.js';
import { genesisSchedule, incrementProposerPriority, updateWithChangeSet } from '../engine/proposer.js';
import { DEFAULT_CONSENSUS_PARAMS, updateConsensusParams, validateConsensusParams } from '../params.js';
import { addressFromEd25519, bytesEqual, ed25519Of, validatorSetFromUpdates } from '../validators.js';
import { ZERO_BLOCK_ID } from './block.js';
import type { HostLogger } from './types.js';

export class ChainStateError extends Error {
  override readonly name = 'ChainStateError';
}

export interface ChainState {
  chainId: string;
  initialHeight: number;
  genesisTime: Timestamp;
  /** The height being decided (the last block's height + 1, or the initial height). */
  height: number;
  lastBlockHeight: number;
  lastBlockId: BlockID;
  /** Time of the last block (genesis time before the first). */
  lastBlockTime: Timestamp;
  lastCommit: Commit | undefined;
  lastValidators: ValidatorSet | undefined;
  /** The set deciding `height`, and the one deciding `height + 1`. */
  validators: ValidatorSet;
  nextValidators: ValidatorSet;
  params: ConsensusParams;
  /** App hash after the last block: `height`'s header carries it. */
  appHash: Uint8Array;
  /** App hash in the last block's header (the app hash before the last block). */
  lastHeaderAppHash: Uint8Array;
  lastResultsHash: Uint8Array;
  appVersion: bigint;
}

export interface ChainStateSource {
  app: Pick<Application, 'info' | 'genesisValidators'>;
  blockStore: ChainBlockStore;
  chainId: string;
  initialHeight: number;
  genesisTime: Timestamp;
  consensusParams?: ConsensusParams;
}

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('').toUpperCase();

export async function loadChainState(src: ChainStateSource): Promise<ChainState> {
  const { app, blockStore, chainId, initialHeight, genesisTime } = src;
  const info = await app.info();
  const storeHeight = blockStore.height();
  const appHeight = Number(info.lastBlockHeight);
  const base = { chainId, initialHeight, genesisTime, appVersion: info.appVersion };
  if (storeHeight === 0) {
    if (appHeight !== 0 && appHeight !== initialHeight - 1) {
      throw new ChainStateError(`the app is at height ${appHeight} but the block store is empty: the data directory is inconsistent (restore both or reset both)`);
    }
    const params = src.consensusParams ?? DEFAULT_CONSENSUS_PARAMS;
    validateConsensusParams(params);
    const schedule = genesisSchedule(validatorSetFromUpdates(app.genesisValidators()).validators);
    return {
      ...base,
      height: initialHeight,
      lastBlockHeight: 0,
      lastBlockId: ZERO_BLOCK_ID,
      lastBlockTime: genesisTime,
      lastCommit: undefined,
      lastValidators: undefined,
      validators: schedule.validators,
      nextValidators: schedule.nextValidators,
      params,
      appHash: info.lastBlockAppHash,
      lastHeaderAppHash: info.lastBlockAppHash,
      lastResultsHash: emptyHash(),
    };
  }
  if (appHeight !== storeHeight) {
    throw new ChainStateError(`the app is at height ${appHeight} but the block store at ${storeHeight}: state and blocks are committed in one batch, so the data directory is damaged`);
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
  if (!meta?.header || !commit || !results || !lastValidators || !validators || !nextValidators || !params) {
    throw new ChainStateError(`block store at height ${storeHeight} lacks its block meta, commit, results, validators or params`);
  }
  if (!bytesEqual(results.appHash, info.lastBlockAppHash)) {
    throw new ChainStateError(`app hash ${hex(info.lastBlockAppHash)} differs from the stored result ${hex(results.appHash)} at height ${storeHeight}`);
  }
  return {
    ...base,
    height: storeHeight + 1,
    lastBlockHeight: storeHeight,
    lastBlockId: meta.blockId,
    lastBlockTime: meta.header.time,
    lastCommit: commit,
    lastValidators,
    validators,
    nextValidators,
    params,
    appHash: results.appHash,
    lastHeaderAppHash: meta.header.appHash,
    lastResultsHash: resultsHash(results.txResults),
  };
}

/** Same members, powers and priorities (the `proposer` field is derived and ignored). */
export function sameValidators(a: ValidatorSet, b: ValidatorSet): boolean {
  return (
    a.validators.length === b.validators.length &&
    a.validators.every((v, i) => {
      const w = b.validators[i];
      return bytesEqual(v.address, w.address) && v.votingPower === w.votingPower && v.proposerPriority === w.proposerPriority;
    })
  );
}

/** The app's validator updates as engine validators (power 0 removes). Throws on a malformed update. */
function asValidators(res: ResponseFinalizeBlock): Validator[] {
  return res.validatorUpdates.map((u) => {
    const pub = ed25519Of(u.pubKey);
    if (u.power < 0n) throw new ChainStateError(`validator update with negative power ${u.power}`);
    return { address: addressFromEd25519(pub), pubKey: { ed25519: pub }, votingPower: u.power, proposerPriority: 0n };
  });
}

export interface Advanced {
  next: ChainState;
  /** Validator sets and params to record in the block's batch. */
  ops: BatchOp[];
}

/** The state after block `s.height` (with `blockId`, its `time`, its seen commit and the app's results). */
export function advanceChainState(
  s: ChainState,
  blockStore: Pick<ChainBlockStore, 'validatorsOps' | 'consensusParamsOps'>,
  blockId: BlockID,
  time: Timestamp,
  seenCommit: Commit,
  res: ResponseFinalizeBlock,
  log: HostLogger,
): Advanced {
  const h = s.height;
  let changed = s.nextValidators;
  if (res.validatorUpdates.length > 0) {
    try {
      changed = updateWithChangeSet(s.nextValidators, asValidators(res));
    } catch (err) {
      // Every node runs the same check on the same results, so keeping the set is deterministic.
      log.error({ height: h, err: (err as Error).message }, 'invalid validator updates refused; the set is kept');
    }
  }
  const nextNext = incrementProposerPriority(changed, 1);
  let params = s.params;
  try {
    params = updateConsensusParams(s.params, res.consensusParamUpdates);
  } catch (err) {
    log.error({ height: h, err: (err as Error).message }, 'invalid consensus param updates refused; the params are kept');
  }
  const ops: BatchOp[] = [];
  if (s.lastBlockHeight === 0) {
    ops.push(...blockStore.validatorsOps(h, s.validators), ...blockStore.consensusParamsOps(h, s.params));
    if (!sameValidators(s.nextValidators, s.validators)) ops.push(...blockStore.validatorsOps(h + 1, s.nextValidators));
  }
  if (!sameValidators(nextNext, s.nextValidators)) ops.push(...blockStore.validatorsOps(h + 2, nextNext));
  if (params !== s.params) ops.push(...blockStore.consensusParamsOps(h + 1, params));
  const next: ChainState = {
    ...s,
    height: h + 1,
    lastBlockHeight: h,
    lastBlockId: blockId,
    lastBlockTime: time,
    lastCommit: seenCommit,
    lastValidators: s.validators,
    validators: s.nextValidators,
    nextValidators: nextNext,
    params,
    appHash: res.appHash,
    lastHeaderAppHash: s.appHash,
    lastResultsHash: resultsHash(res.txResults),
    appVersion: res.consensusParamUpdates?.version ? res.consensusParamUpdates.version.app : s.appVersion,
  };
  return { next, ops };
}
