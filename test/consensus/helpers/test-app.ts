/**
 * A tiny Application for consensus tests. A tx is `sender:sequence[:gas]` (or any text
 * containing "bad", always refused). CheckTx enforces per-sender sequences against a
 * check state that commit resets, like the Cosmos SDK's ante handler does. The app
 * hash is a running SHA-256 over executed txs, committed with the block store's ops.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { CheckTxType, type RequestFinalizeBlock, type ResponseCheckTx, type ResponseFinalizeBlock, type ValidatorUpdate } from 'cosmjs-types/tendermint/abci/types';
import type { Application } from '../../../app/abci.js';
import type { BatchOp } from '../../../app/store/types.js';

const dec = new TextDecoder();

export function parseTx(tx: Uint8Array): { sender: string; seq: number; gas: bigint } | undefined {
  const [sender, seq, gas] = dec.decode(tx).split(':');
  if (!sender || seq === undefined || !/^\d+$/.test(seq)) return undefined;
  return { sender, seq: Number(seq), gas: gas ? BigInt(gas) : 1n };
}

const ok = (gas: bigint, events: ResponseCheckTx['events'] = []): ResponseCheckTx => ({
  code: 0, data: new Uint8Array(0), log: '', info: '', gasWanted: gas, gasUsed: 0n, events, codespace: '',
});
const fail = (code: number, log: string): ResponseCheckTx => ({
  code, data: new Uint8Array(0), log, info: '', gasWanted: 0n, gasUsed: 0n, events: [], codespace: 'test',
});

export class TestApp implements Application {
  committedSeq = new Map<string, number>();
  checkSeq = new Map<string, number>();
  height = 0;
  appHash: Uint8Array = new Uint8Array(32);
  checkCalls: Array<{ tx: string; type: CheckTxType }> = [];
  inFlight = 0;
  maxInFlight = 0;
  checkDelayMs = 0;
  finalized: RequestFinalizeBlock[] = [];
  commits: BatchOp[][] = [];
  /** Ops of the last commit are handed to this (e.g. a LevelDB batch in tests). */
  persist: (ops: BatchOp[]) => Promise<void> = async () => undefined;
  validatorUpdatesAt = new Map<number, ValidatorUpdate[]>();
  private pending?: { height: number; seq: Map<string, number>; appHash: Uint8Array };

  constructor(private readonly validators: ValidatorUpdate[] = []) {}

  async info() {
    return { data: 'test', version: '1', appVersion: 1n, lastBlockHeight: BigInt(this.height), lastBlockAppHash: this.appHash };
  }

  async checkTx(tx: Uint8Array, type: CheckTxType): Promise<ResponseCheckTx> {
    this.checkCalls.push({ tx: dec.decode(tx), type });
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      if (this.checkDelayMs) await new Promise((r) => setTimeout(r, this.checkDelayMs));
      if (dec.decode(tx).includes('bad')) return fail(7, 'bad tx');
      const p = parseTx(tx);
      if (!p) return fail(2, 'cannot decode');
      const expected = this.checkSeq.get(p.sender) ?? this.committedSeq.get(p.sender) ?? 0;
      if (p.seq !== expected) return fail(32, `account sequence mismatch, expected ${expected}, got ${p.seq}`);
      this.checkSeq.set(p.sender, p.seq + 1);
      return ok(p.gas, [{ type: 'tx', attributes: [{ key: 'acc_seq', value: `${p.sender}/${p.seq}`, index: true }] }]);
    } finally {
      this.inFlight--;
    }
  }

  async finalizeBlock(req: RequestFinalizeBlock): Promise<ResponseFinalizeBlock> {
    this.finalized.push(req);
    const seq = new Map(this.committedSeq);
    let hash = this.appHash;
    const txResults = req.txs.map((tx) => {
      const p = parseTx(tx);
      const expected = p ? (seq.get(p.sender) ?? 0) : -1;
      if (!p || p.seq !== expected) {
        return { code: 32, data: new Uint8Array(0), log: 'bad sequence', info: '', gasWanted: 0n, gasUsed: 0n, events: [], codespace: 'test' };
      }
      seq.set(p.sender, p.seq + 1);
      hash = sha256(new Uint8Array([...hash, ...tx]));
      return {
        code: 0, data: new Uint8Array(0), log: '', info: '', gasWanted: p.gas, gasUsed: p.gas, codespace: '',
        events: [{ type: 'transfer', attributes: [{ key: 'sender', value: p.sender, index: true }] }],
      };
    });
    const height = Number(req.height);
    this.pending = { height, seq, appHash: hash };
    return {
      events: [{ type: 'block', attributes: [{ key: 'txs', value: String(req.txs.length), index: true }] }],
      txResults,
      validatorUpdates: this.validatorUpdatesAt.get(height) ?? [],
      appHash: hash,
    };
  }

  async commit(extra: BatchOp[] = []): Promise<void> {
    if (!this.pending) throw new Error('commit without finalizeBlock');
    await this.persist(extra);
    this.commits.push(extra);
    this.committedSeq = this.pending.seq;
    this.height = this.pending.height;
    this.appHash = this.pending.appHash;
    this.checkSeq = new Map();
    this.pending = undefined;
  }

  async query(): Promise<never> {
    throw new Error('not used');
  }

  genesisValidators(): ValidatorUpdate[] {
    return this.validators;
  }

  /** Apply txs as if a block committed them (mempool tests, without a producer). */
  commitTxs(txs: string[]): void {
    for (const t of txs) {
      const p = parseTx(new TextEncoder().encode(t));
      if (p) this.committedSeq.set(p.sender, p.seq + 1);
    }
    this.height++;
    this.checkSeq = new Map();
  }
}
