/**
 * Epoch checkpoints on chain (DESIGN §3, issue 5): when the block that ends an epoch
 * (staking's `epoch_end` event in its FinalizeBlock results) is committed, every
 * validator of that height signs (header hash, app hash, next validators hash) with
 * sdk/light's `checkpointSignBytes` and sends the signature to its peers. Each node
 * verifies the signatures it receives against the set of that height, relays the ones
 * new to it (one per validator: no loop), and once validators with more than 2/3 of the
 * power signed, stores the checkpoint in the block store (updated as more arrive), where
 * it survives restarts and the RPC serves it in the shape `verifyCheckpoint` takes.
 *
 * A lost signature is re-sent with every block for REGOSSIP_BLOCKS blocks; a signature
 * for a height this node has not committed yet is dropped (its sender re-sends it).
 */
import type { ValidatorSet } from 'cosmjs-types/tendermint/types/validator';
import { checkpointSignBytes, type Checkpoint } from '../../../sdk/light/checkpoint.js';
import type { ChainBlockStore } from '../blockstore.js';
import type { VerifyFn } from '../engine/types.js';
import { overTwoThirds } from '../engine/voteset.js';
import { bytesEqual } from '../validators.js';
import type { CheckpointSignatureMessage } from './checkpoint-codec.js';
import type { PeerId } from './transport.js';
import type { HostLogger } from './types.js';

/** The fields a checkpoint signs. */
export type CheckpointFields = Omit<Checkpoint, 'signatures'>;

/** A validator key that signs checkpoints (the privval builds the sign bytes itself from the fields, as for heartbeats). */
export interface CheckpointSigner {
  readonly address: Uint8Array;
  signCheckpoint(checkpoint: CheckpointFields): Uint8Array | Promise<Uint8Array>;
}

/** Blocks after an epoch end during which our signature of its checkpoint is re-sent. */
export const REGOSSIP_BLOCKS = 10;
/** Checkpoints collected at once (a new epoch end drops the oldest). */
const MAX_COLLECTING = 2;

export interface CheckpointCollectorInit {
  chainId: string;
  verify: VerifyFn;
  blockStore: Pick<ChainBlockStore, 'saveCheckpoint'>;
  signer?: CheckpointSigner;
  broadcast(m: CheckpointSignatureMessage): void;
  report(peer: PeerId, reason: string, detail: string): void;
  logger: HostLogger;
}

export interface CheckpointCollector {
  /** Block `fields.height` ended an epoch and is committed: collect its checkpoint, signed by `validators` (the set of that height). */
  epochEnd(fields: CheckpointFields, validators: ValidatorSet): Promise<void>;
  /** A signature from a peer. */
  onSignature(from: PeerId, m: CheckpointSignatureMessage): Promise<void>;
  /** Block `height` is committed: re-send our signatures of recent checkpoints. */
  afterBlock(height: number): void;
}

/** Early signatures kept per future epoch end (a set's size is bounded far below this in practice). */
const MAX_EARLY_PER_HEIGHT = 1_000;

interface Collecting {
  fields: CheckpointFields;
  signBytes: Uint8Array;
  validators: ValidatorSet;
  total: bigint;
  power: bigint;
  signatures: Map<number, Uint8Array>;
  own?: CheckpointSignatureMessage;
}

export function createCheckpointCollector(init: CheckpointCollectorInit): CheckpointCollector {
  const { chainId, verify, blockStore, signer, logger: log } = init;
  const collecting = new Map<bigint, Collecting>();
  /**
   * Signatures for an epoch end this node has not committed yet (it is a little behind):
   * kept, bounded, until its own epochEnd; otherwise a lagging node would miss the first
   * broadcasts, and signers stop re-sending once they hold every signature themselves.
   */
  const early = new Map<bigint, { from: string; m: CheckpointSignatureMessage }[]>();
  let highestCollecting = 0n;
  /** Block store writes one after another, so a later (fuller) record never loses to an earlier one. */
  let writes: Promise<void> = Promise.resolve();

  function record(c: Collecting): Checkpoint {
    const indexes = [...c.signatures.keys()].sort((a, b) => a - b);
    return { ...c.fields, signatures: indexes.map((i) => ({ validatorAddress: c.validators.validators[i].address, signature: c.signatures.get(i)! })) };
  }

  /** Count a verified signature; store once more than 2/3 of the power signed (and again with each later one). */
  function add(c: Collecting, index: number, signature: Uint8Array): Promise<void> {
    const wasOver = overTwoThirds(c.power, c.total);
    c.signatures.set(index, signature);
    c.power += c.validators.validators[index].votingPower;
    if (!overTwoThirds(c.power, c.total)) return Promise.resolve();
    if (!wasOver) log.info({ height: Number(c.fields.height), signers: c.signatures.size }, 'epoch checkpoint signed by more than 2/3');
    const cp = record(c);
    writes = writes.then(() => blockStore.saveCheckpoint(cp)).catch((err: Error) => log.error({ height: Number(cp.height), err: err.message }, 'storing the checkpoint failed'));
    return writes;
  }

  const collector: CheckpointCollector = {
    async epochEnd(fields, validators) {
      if (fields.chainId !== chainId || collecting.has(fields.height)) return;
      let total = 0n;
      for (const v of validators.validators) total += v.votingPower;
      const c: Collecting = { fields, signBytes: checkpointSignBytes(fields), validators, total, power: 0n, signatures: new Map() };
      collecting.set(fields.height, c);
      if (fields.height > highestCollecting) highestCollecting = fields.height;
      while (collecting.size > MAX_COLLECTING) collecting.delete(collecting.keys().next().value!);
      const waiting = early.get(fields.height) ?? [];
      early.delete(fields.height);
      for (const h of early.keys()) if (h < fields.height) early.delete(h);
      for (const { from, m } of waiting) await collector.onSignature(from, m);
      if (!signer) return;
      const index = validators.validators.findIndex((v) => bytesEqual(v.address, signer.address));
      if (index < 0) return;
      // A checkpoint is not worth halting consensus for: a signer failure is logged and the others' signatures still count.
      let signature: Uint8Array;
      try {
        signature = await signer.signCheckpoint(fields);
      } catch (err) {
        log.error({ height: Number(fields.height), err: (err as Error).message }, 'signing the epoch checkpoint failed');
        return;
      }
      const pub = validators.validators[index].pubKey.ed25519;
      if (!pub || !verify(pub, c.signBytes, signature)) {
        log.error({ height: Number(fields.height) }, 'the checkpoint signer returned a signature that does not verify with our consensus key');
        return;
      }
      c.own = { height: fields.height, validatorAddress: signer.address, signature };
      init.broadcast(c.own);
      await add(c, index, signature);
    },

    async onSignature(from, m) {
      const c = collecting.get(m.height);
      if (!c) {
        // an epoch end ahead of ours: keep a bounded few until we commit it
        if (m.height > highestCollecting) {
          if (!early.has(m.height) && early.size > MAX_COLLECTING) {
            // full: the farthest height gives way to a nearer one (far-future junk cannot crowd out the next epoch end)
            const farthest = [...early.keys()].reduce((a, b) => (a > b ? a : b));
            if (m.height > farthest) return;
            early.delete(farthest);
          }
          const list = early.get(m.height) ?? [];
          if (list.length < MAX_EARLY_PER_HEIGHT) list.push({ from, m });
          early.set(m.height, list);
        }
        return;
      }
      const index = c.validators.validators.findIndex((v) => bytesEqual(v.address, m.validatorAddress));
      if (index < 0) return init.report(from, 'invalid-checkpoint-signature', `no validator ${toHex(m.validatorAddress)} at height ${m.height}`);
      if (c.signatures.has(index)) return;
      const pub = c.validators.validators[index].pubKey.ed25519;
      if (!pub || !verify(pub, c.signBytes, m.signature)) return init.report(from, 'invalid-checkpoint-signature', `checkpoint signature of ${toHex(m.validatorAddress)} for height ${m.height} does not verify`);
      init.broadcast(m); // relay: peers that are not linked to its signer get it too
      await add(c, index, m.signature);
    },

    afterBlock(height) {
      for (const c of collecting.values()) {
        if (c.own && c.signatures.size < c.validators.validators.length && BigInt(height) - c.fields.height <= BigInt(REGOSSIP_BLOCKS)) init.broadcast(c.own);
      }
    },
  };
  return collector;
}

const toHex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('').toUpperCase();
