/**
 * The Guts state machine behind the ABCI-shaped `Application` seam: genesis, CheckTx
 * against a check state, block execution with a store checkpoint per tx, commit,
 * queries (gRPC-style paths, simulation, raw store reads with proofs).
 */
import { CheckTxType, type RequestFinalizeBlock, type RequestQuery, type ResponseCheckTx, type ResponseFinalizeBlock, type ResponseInfo, type ResponseQuery, type ExecTxResult, type ValidatorUpdate } from 'cosmjs-types/tendermint/abci/types';
import type { Timestamp } from 'cosmjs-types/google/protobuf/timestamp';
import { BlockIDFlag } from 'cosmjs-types/tendermint/types/validator';
import type { Any } from 'cosmjs-types/google/protobuf/any';
import './protobuf-alloc.js';
import type { Application } from '../abci.js';
import type { BatchOp, KVReader, KVStore, StateStore } from '../store/types.js';
import { abciError, ErrInvalidHeight, ErrLogic } from '../errors.js';
import { EventManager, type BlockInfo, type Context, type ExecMode, type GasMeter } from './context.js';
import type { ModuleManager } from './manager.js';
import { resolveMsgs, runGates, runMsgs, type DecodedMsg } from './tx-runner.js';
import type { Genesis } from '../../genesis/doc.js';
import { answerQuery } from './query.js';

/** The parts of a decoded tx the app needs; produced by app/tx's decoder. */
export interface TxEnvelope {
  hash: Uint8Array;
  msgs: Any[];
  fee: { gasLimit: bigint };
}

/** Decoding, ante handling and gas metering come from app/tx, injected so this file stays the orchestration. */
export interface TxPipeline<T extends TxEnvelope = TxEnvelope> {
  decode(bytes: Uint8Array, opts: { simulate: boolean }): T;
  /** Fees, sequences, signatures (skipped in simulation), gas for size and signatures. */
  ante(ctx: Context, tx: T, opts: { simulate: boolean }): Promise<void>;
  gasMeter(limit: bigint | undefined): GasMeter;
  meteredStore(store: KVStore, meter: GasMeter): KVStore;
  /** A cache over a reader: writes stay in memory until write(). */
  cache(parent: KVReader | KVStore): KVStore & { write(): Promise<void> };
  /** Called once per block before execution to verify signatures in parallel (optional). */
  preverify?(txs: Uint8Array[], state: KVReader): Promise<void>;
}

export interface AppOptions {
  store: StateStore;
  genesis: Genesis;
  manager: ModuleManager;
  pipeline: TxPipeline;
  version?: string;
}

interface BlockInProgress {
  height: number;
  time: Timestamp;
  info: BlockInfo;
}

function blockInfo(req: RequestFinalizeBlock): BlockInfo {
  return {
    proposerAddress: req.proposerAddress,
    hash: req.hash,
    lastCommitVotes: (req.decidedLastCommit?.votes ?? []).map((v) => ({
      address: v.validator?.address ?? new Uint8Array(),
      power: v.validator?.power ?? 0n,
      signed: v.blockIdFlag === BlockIDFlag.BLOCK_ID_FLAG_COMMIT,
    })),
    misbehavior: req.misbehavior ?? [],
  };
}

export class GutsApp implements Application {
  private checkState!: KVStore & { write(): Promise<void> };
  private lastBlockTime: Timestamp;
  private pending: BlockInProgress | undefined;
  readonly chainId: string;

  constructor(private readonly opts: AppOptions) {
    this.chainId = opts.genesis.chainId;
    this.lastBlockTime = opts.genesis.genesisTime;
  }

  get store(): StateStore {
    return this.opts.store;
  }

  /** Apply genesis once (committed as height initial_height - 1); later opens just reset the check state. */
  async init(): Promise<void> {
    const { store, genesis, manager } = this.opts;
    if (!(await this.isInitialised())) {
      const ctx = this.context('deliver', store, genesis.genesisTime, Number(genesis.initialHeight) - 1, this.opts.pipeline.gasMeter(undefined));
      await manager.initGenesis(ctx, genesis.appState);
      await store.commit(Number(genesis.initialHeight) - 1);
    }
    await this.resetCheckState();
  }

  private async isInitialised(): Promise<boolean> {
    // auth params are written by every genesis, so their presence marks an initialised state
    return (await this.opts.store.get(new TextEncoder().encode('auth/params/'))) !== undefined;
  }

  /** Block time of the last committed block (genesis time before the first block). */
  setLastBlockTime(t: Timestamp): void {
    this.lastBlockTime = t;
  }

  private async resetCheckState(): Promise<void> {
    this.checkState = this.opts.pipeline.cache(await this.opts.store.readAt());
  }

  private context(mode: ExecMode, store: KVStore, time: Timestamp, height: number, meter: GasMeter, block?: BlockInfo): Context {
    return { chainId: this.chainId, height, time, mode, store: this.opts.pipeline.meteredStore(store, meter), gasMeter: meter, events: new EventManager(), block };
  }

  async info(): Promise<ResponseInfo> {
    const { store } = this.opts;
    return {
      data: 'guts',
      version: this.opts.version ?? '0.1.0',
      appVersion: this.opts.genesis.consensusParams.appVersion,
      lastBlockHeight: BigInt(store.height),
      lastBlockAppHash: store.committedRoot,
    };
  }

  genesisValidators(): ValidatorUpdate[] {
    return this.opts.genesis.validators.map((v) => ({ pubKey: { ed25519: v.pubKey, secp256k1: undefined }, power: v.power }) as ValidatorUpdate);
  }

  /**
   * Concurrent, stateless part of CheckTx: verify the signatures against the committed
   * account numbers and keys, so the serial CheckTx finds them in the verifier's memo.
   */
  async precheckTx(tx: Uint8Array): Promise<void> {
    if (this.opts.pipeline.preverify) await this.opts.pipeline.preverify([tx], await this.opts.store.readAt());
  }

  async checkTx(tx: Uint8Array, type: CheckTxType): Promise<ResponseCheckTx> {
    const mode: ExecMode = type === CheckTxType.RECHECK ? 'recheck' : 'check';
    let meter: GasMeter | undefined;
    let gasWanted = 0n;
    try {
      const decoded = this.opts.pipeline.decode(tx, { simulate: false });
      gasWanted = decoded.fee.gasLimit;
      const msgs = resolveMsgs(this.opts.manager, decoded.msgs);
      meter = this.opts.pipeline.gasMeter(decoded.fee.gasLimit);
      const txState = this.opts.pipeline.cache(this.checkState);
      const ctx = this.context(mode, txState, this.lastBlockTime, this.opts.store.height + 1, meter);
      await this.opts.pipeline.ante(ctx, decoded, { simulate: false });
      await runGates(ctx, this.opts.manager.msgGates, msgs);
      await txState.write();
      return { code: 0, data: new Uint8Array(), log: '', info: '', gasWanted, gasUsed: meter.consumed(), events: ctx.events.events, codespace: '' };
    } catch (err) {
      const e = abciError(err);
      return { ...e, data: new Uint8Array(), info: '', gasWanted, gasUsed: meter?.consumed() ?? 0n, events: [] };
    }
  }

  async finalizeBlock(req: RequestFinalizeBlock): Promise<ResponseFinalizeBlock> {
    const { store, manager, pipeline } = this.opts;
    const height = Number(req.height);
    const expected = Math.max(store.height + 1, Number(this.opts.genesis.initialHeight));
    if (height !== expected) throw ErrInvalidHeight.wrap(`finalizeBlock at height ${height}, expected ${expected}`);
    if (this.pending) throw ErrLogic.wrap(`block ${this.pending.height} was finalized but not committed`);
    this.pending = { height, time: req.time, info: blockInfo(req) };
    const blockCtx = this.context('deliver', store, req.time, height, pipeline.gasMeter(undefined), this.pending.info);
    await manager.beginBlock(blockCtx);
    if (pipeline.preverify) await pipeline.preverify(req.txs, store);
    const txResults: ExecTxResult[] = [];
    for (const tx of req.txs) txResults.push(await this.deliverTx(tx, height, req.time));
    const validatorUpdates = await manager.endBlock(blockCtx);
    return { events: blockCtx.events.events, txResults, validatorUpdates, consensusParamUpdates: undefined, appHash: await store.workingRoot() };
  }

  private async deliverTx(tx: Uint8Array, height: number, time: Timestamp): Promise<ExecTxResult> {
    const { store, pipeline, manager } = this.opts;
    let decoded: TxEnvelope;
    let msgs: DecodedMsg[];
    try {
      decoded = pipeline.decode(tx, { simulate: false });
      msgs = resolveMsgs(manager, decoded.msgs);
    } catch (err) {
      return execResult(err, 0n, 0n, []);
    }
    const meter = pipeline.gasMeter(decoded.fee.gasLimit);
    const anteCtx = this.context('deliver', store, time, height, meter, this.pending?.info);
    // Ante writes (fee, sequence) persist even when a message fails, as in cosmos-sdk.
    store.checkpoint();
    try {
      await pipeline.ante(anteCtx, decoded, { simulate: false });
      await store.commitCheckpoint();
    } catch (err) {
      await store.revertCheckpoint();
      return execResult(err, decoded.fee.gasLimit, meter.consumed(), []);
    }
    const msgCtx = { ...anteCtx, events: new EventManager() };
    store.checkpoint();
    try {
      const data = await runMsgs(msgCtx, msgs, manager.msgGates);
      await store.commitCheckpoint();
      return { code: 0, data, log: '', info: '', gasWanted: decoded.fee.gasLimit, gasUsed: meter.consumed(), events: [...anteCtx.events.events, ...msgCtx.events.events], codespace: '' };
    } catch (err) {
      await store.revertCheckpoint();
      return execResult(err, decoded.fee.gasLimit, meter.consumed(), anteCtx.events.events);
    }
  }

  async commit(extra: BatchOp[] = []): Promise<void> {
    const block = this.pending;
    if (!block) throw ErrLogic.wrap('commit without a finalized block');
    try {
      await this.opts.store.commit(block.height, extra);
    } catch (err) {
      // A failed write (e.g. full disk) leaves the last committed height intact on disk;
      // drop the in-memory block so the node can retry or stop cleanly.
      await this.opts.store.discard();
      throw err;
    } finally {
      this.pending = undefined;
    }
    this.lastBlockTime = block.time;
    await this.resetCheckState();
  }

  /** Drop a finalized but uncommitted block (the producer failed to persist it). */
  async abortBlock(): Promise<void> {
    this.pending = undefined;
    await this.opts.store.discard();
  }

  async query(req: RequestQuery): Promise<ResponseQuery> {
    return answerQuery(req, {
      store: this.opts.store,
      manager: this.opts.manager,
      simulate: (tx) => this.simulate(tx),
    });
  }

  /** Run a tx against the check state without keeping its writes (cosmjs `--gas auto`). */
  async simulate(tx: Uint8Array): Promise<{ gasUsed: bigint; gasWanted: bigint; data: Uint8Array; events: ExecTxResult['events'] }> {
    const { pipeline, manager } = this.opts;
    const decoded = pipeline.decode(tx, { simulate: true });
    const msgs = resolveMsgs(manager, decoded.msgs);
    const meter = pipeline.gasMeter(undefined);
    const ctx = this.context('simulate', pipeline.cache(this.checkState), this.lastBlockTime, this.opts.store.height + 1, meter);
    await pipeline.ante(ctx, decoded, { simulate: true });
    const data = await runMsgs(ctx, msgs, manager.msgGates);
    return { gasUsed: meter.consumed(), gasWanted: decoded.fee.gasLimit, data, events: ctx.events.events };
  }

  /** The current state as genesis app_state (for `guts genesis export`). */
  async exportAppState(): Promise<Record<string, unknown>> {
    const { store, manager, pipeline } = this.opts;
    const ctx = this.context('deliver', pipeline.cache(await store.readAt()), this.lastBlockTime, store.height, pipeline.gasMeter(undefined));
    return manager.exportGenesis(ctx);
  }
}

function execResult(err: unknown, gasWanted: bigint, gasUsed: bigint, events: ExecTxResult['events']): ExecTxResult {
  const e = abciError(err);
  return { code: e.code, codespace: e.codespace, log: e.log, data: new Uint8Array(), info: '', gasWanted, gasUsed, events };
}
