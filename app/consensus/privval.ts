/**
 * File-based validator key with double-sign protection, in CometBFT's formats
 * (privval/file.go): `priv_validator_key.json` and `priv_validator_state.json`.
 * The last-sign state is written atomically and fsynced before a signature is
 * released, so a validator that crashes and restarts never signs two different
 * messages for the same height/round/step (DESIGN §6).
 */
import { createPrivateKey, createPublicKey, randomBytes, sign, type KeyObject } from 'node:crypto';
import { constants } from 'node:fs';
import { mkdir, open, readFile, rename, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fromBase64, fromHex, toBase64, toHex } from '@cosmjs/encoding';
import type { Timestamp } from 'cosmjs-types/google/protobuf/timestamp';
import { SignedMsgType, type BlockID, type Proposal, type Vote } from 'cosmjs-types/tendermint/types/types';
import { decodeSignBytes, isZeroBlockId, proposalSignBytes, voteExtensionSignBytes, voteSignBytes } from './encoding/canonical.js';
import type { PrivValidator } from './types.js';
import { addressFromEd25519, bytesEqual } from './validators.js';
import { heartbeatSignBytes, type Heartbeat } from '../p2p/messages/envelope.js';
import { checkpointSignBytes, type Checkpoint } from '../../sdk/light/checkpoint.js';

/** privval step numbers (privval/file.go stepPropose…stepPrecommit). */
export const STEP_PROPOSE = 1;
export const STEP_PREVOTE = 2;
export const STEP_PRECOMMIT = 3;

export class DoubleSignError extends Error {
  override readonly name = 'DoubleSignError';
}

export class PrivValidatorFileError extends Error {
  override readonly name = 'PrivValidatorFileError';
}

export interface LastSignState {
  height: bigint;
  round: number;
  step: number;
  signature?: Uint8Array;
  signBytes?: Uint8Array;
}

// PKCS#8 DER prefix for a raw 32-byte ed25519 seed (RFC 8410 §7).
const PKCS8_ED25519_PREFIX = fromHex('302e020100300506032b657004220420');

function keyFromSeed(seed: Uint8Array): { key: KeyObject; pubKey: Uint8Array } {
  const key = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]), format: 'der', type: 'pkcs8' });
  const spki = createPublicKey(key).export({ format: 'der', type: 'spki' });
  return { key, pubKey: new Uint8Array(spki.subarray(spki.length - 32)) };
}

/** Write `data` to `path` via a fsynced temp file and rename, then fsync the directory. */
export async function writeFileAtomic(path: string, data: string | Uint8Array, mode = 0o600): Promise<void> {
  const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  const fh = await open(tmp, constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY, mode);
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(tmp, path);
  const dir = await open(dirname(path), 'r');
  try {
    await dir.sync();
  } finally {
    await dir.close();
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw e;
  }
}

interface KeyJson {
  address: string;
  pub_key: { type: 'tendermint/PubKeyEd25519'; value: string };
  priv_key: { type: 'tendermint/PrivKeyEd25519'; value: string };
}

interface StateJson {
  height: string;
  round: number;
  step: number;
  signature?: string;
  signbytes?: string;
}

export function keyToJson(seed: Uint8Array, pubKey: Uint8Array): KeyJson {
  return {
    address: toHex(addressFromEd25519(pubKey)).toUpperCase(),
    pub_key: { type: 'tendermint/PubKeyEd25519', value: toBase64(pubKey) },
    priv_key: { type: 'tendermint/PrivKeyEd25519', value: toBase64(new Uint8Array([...seed, ...pubKey])) },
  };
}

function stateToJson(s: LastSignState): StateJson {
  const j: StateJson = { height: s.height.toString(), round: s.round, step: s.step };
  if (s.signature) j.signature = toBase64(s.signature);
  if (s.signBytes) j.signbytes = toHex(s.signBytes).toUpperCase();
  return j;
}

function parseKeyJson(text: string, file: string): { seed: Uint8Array; pubKey: Uint8Array } {
  const bad = (why: string) => new PrivValidatorFileError(`${file}: ${why}`);
  let j: KeyJson;
  try {
    j = JSON.parse(text) as KeyJson;
  } catch (e) {
    throw bad(`not valid JSON (${(e as Error).message})`);
  }
  if (j?.priv_key?.type !== 'tendermint/PrivKeyEd25519') throw bad('priv_key.type must be tendermint/PrivKeyEd25519');
  const priv = fromBase64(j.priv_key.value);
  if (priv.length !== 64) throw bad(`priv_key must be 64 bytes (seed ‖ public key), got ${priv.length}`);
  const seed = priv.slice(0, 32);
  const { pubKey } = keyFromSeed(seed);
  if (!bytesEqual(pubKey, priv.subarray(32))) throw bad('priv_key public half does not match its seed');
  if (j.pub_key?.value && !bytesEqual(fromBase64(j.pub_key.value), pubKey)) throw bad('pub_key does not match priv_key');
  if (j.address && j.address.toUpperCase() !== toHex(addressFromEd25519(pubKey)).toUpperCase()) throw bad('address does not match pub_key');
  return { seed, pubKey };
}

function parseStateJson(text: string, file: string): LastSignState {
  let j: StateJson;
  try {
    j = JSON.parse(text) as StateJson;
  } catch (e) {
    throw new PrivValidatorFileError(`${file}: not valid JSON (${(e as Error).message})`);
  }
  const s: LastSignState = { height: BigInt(j.height ?? 0), round: Number(j.round ?? 0), step: Number(j.step ?? 0) };
  if (j.signature) s.signature = fromBase64(j.signature);
  if (j.signbytes) s.signBytes = fromHex(j.signbytes);
  if (s.signBytes && !s.signature) throw new PrivValidatorFileError(`${file}: signbytes present without a signature`);
  return s;
}

/** CometBFT `FilePVLastSignState.CheckHRS`: true when this exact height/round/step was signed before. */
export function checkHRS(last: LastSignState, height: bigint, round: number, step: number): boolean {
  if (last.height > height) throw new DoubleSignError(`height regression: got ${height}, last signed height ${last.height}`);
  if (last.height === height) {
    if (last.round > round) throw new DoubleSignError(`round regression at height ${height}: got ${round}, last round ${last.round}`);
    if (last.round === round) {
      if (last.step > step) throw new DoubleSignError(`step regression at height ${height} round ${round}: got ${step}, last step ${last.step}`);
      if (last.step === step) {
        if (last.signBytes && last.signature) return true;
        throw new DoubleSignError(`already signed height ${height} round ${round} step ${step} but the sign bytes were not kept`);
      }
    }
  }
  return false;
}

/** The earlier timestamp when two sign bytes differ only in their timestamp (CometBFT `checkVotesOnlyDifferByTimestamp`). */
function onlyTimestampDiffers(last: Uint8Array, next: Uint8Array): Timestamp | undefined {
  const a = decodeSignBytes(last);
  const b = decodeSignBytes(next);
  const sameId = (x?: BlockID, y?: BlockID) =>
    isZeroBlockId(x) === isZeroBlockId(y) &&
    (isZeroBlockId(x) ||
      (bytesEqual(x!.hash, y!.hash) && x!.partSetHeader.total === y!.partSetHeader.total && bytesEqual(x!.partSetHeader.hash, y!.partSetHeader.hash)));
  const same = a.type === b.type && a.height === b.height && a.round === b.round && a.polRound === b.polRound && a.chainId === b.chainId && sameId(a.blockId, b.blockId);
  return same ? a.timestamp : undefined;
}

export interface FilePV extends PrivValidator {
  readonly keyFile: string;
  readonly stateFile: string;
  lastSignState(): LastSignState;
  /**
   * Sign a peer-layer heartbeat (binds this consensus key to a peer id for the partition
   * detector). The bytes are built here from the heartbeat's fields, never taken from the
   * caller, so this cannot be used to sign a vote or proposal around double-sign protection.
   */
  signHeartbeat(chainId: string, heartbeat: Omit<Heartbeat, 'signature' | 'validatorAddress'>): Heartbeat;
}

class FilePVImpl implements FilePV {
  readonly address: Uint8Array;
  private last: LastSignState;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly keyFile: string,
    readonly stateFile: string,
    private readonly key: KeyObject,
    readonly pubKey: Uint8Array,
    state: LastSignState,
  ) {
    this.address = addressFromEd25519(pubKey);
    this.last = state;
  }

  lastSignState(): LastSignState {
    return { ...this.last };
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private rawSign(bytes: Uint8Array): Uint8Array {
    return new Uint8Array(sign(null, bytes, this.key));
  }

  /** Sign `signBytes` at (height, round, step) unless that would double-sign; persists before returning. */
  private async signChecked(height: bigint, round: number, step: number, signBytes: Uint8Array): Promise<{ signature: Uint8Array; timestamp?: Timestamp }> {
    const sameHRS = checkHRS(this.last, height, round, step);
    if (sameHRS) {
      const prev = this.last.signBytes as Uint8Array;
      if (bytesEqual(prev, signBytes)) return { signature: this.last.signature as Uint8Array };
      const ts = onlyTimestampDiffers(prev, signBytes);
      if (ts) return { signature: this.last.signature as Uint8Array, timestamp: ts };
      throw new DoubleSignError(`conflicting data: height ${height} round ${round} step ${step} was already signed for different content`);
    }
    const signature = this.rawSign(signBytes);
    const next: LastSignState = { height, round, step, signature, signBytes };
    await writeFileAtomic(this.stateFile, JSON.stringify(stateToJson(next), null, 2));
    this.last = next;
    return { signature };
  }

  signVote(chainId: string, vote: Vote): Promise<Vote> {
    return this.serial(async () => {
      let step: number;
      if (vote.type === SignedMsgType.SIGNED_MSG_TYPE_PREVOTE) step = STEP_PREVOTE;
      else if (vote.type === SignedMsgType.SIGNED_MSG_TYPE_PRECOMMIT) step = STEP_PRECOMMIT;
      else throw new DoubleSignError(`cannot sign a vote of type ${vote.type}: only prevotes and precommits`);
      const nonNilPrecommit = vote.type === SignedMsgType.SIGNED_MSG_TYPE_PRECOMMIT && !isZeroBlockId(vote.blockId);
      if (!nonNilPrecommit && vote.extension.length > 0) throw new DoubleSignError('vote extensions are only allowed in non-nil precommits');
      const { signature, timestamp } = await this.signChecked(vote.height, vote.round, step, voteSignBytes(chainId, vote));
      // CometBFT always (re-)signs the extension of a non-nil precommit: extensions are not deterministic.
      const extensionSignature = nonNilPrecommit ? this.rawSign(voteExtensionSignBytes(chainId, vote.height, vote.round, vote.extension)) : new Uint8Array(0);
      return { ...vote, signature, timestamp: timestamp ?? vote.timestamp, extensionSignature };
    });
  }

  signHeartbeat(chainId: string, hb: Omit<Heartbeat, 'signature' | 'validatorAddress'>): Heartbeat {
    const unsigned = { ...hb, validatorAddress: this.address };
    return { ...unsigned, signature: this.rawSign(heartbeatSignBytes(chainId, unsigned)) };
  }

  /**
   * An epoch checkpoint of a block this node committed (DESIGN §3). The sign bytes carry
   * their own domain prefix, so they can never pass for a vote, proposal or heartbeat.
   */
  signCheckpoint(checkpoint: Omit<Checkpoint, 'signatures'>): Uint8Array {
    return this.rawSign(checkpointSignBytes(checkpoint));
  }

  signProposal(chainId: string, proposal: Proposal): Promise<Proposal> {
    return this.serial(async () => {
      const { signature, timestamp } = await this.signChecked(proposal.height, proposal.round, STEP_PROPOSE, proposalSignBytes(chainId, proposal));
      return { ...proposal, signature, timestamp: timestamp ?? proposal.timestamp };
    });
  }
}

/** Create a new key (random, or from `seed`) and an empty sign state; refuses to overwrite existing files. */
export async function generateFilePV(keyFile: string, stateFile: string, seed: Uint8Array = randomBytes(32)): Promise<FilePV> {
  if (seed.length !== 32) throw new PrivValidatorFileError(`ed25519 seed must be 32 bytes, got ${seed.length}`);
  for (const f of [keyFile, stateFile]) if (await exists(f)) throw new PrivValidatorFileError(`${f} already exists: refusing to overwrite a validator key or sign state`);
  const { key, pubKey } = keyFromSeed(seed);
  await mkdir(dirname(keyFile), { recursive: true });
  await mkdir(dirname(stateFile), { recursive: true });
  await writeFileAtomic(keyFile, JSON.stringify(keyToJson(seed, pubKey), null, 2));
  const state: LastSignState = { height: 0n, round: 0, step: 0 };
  await writeFileAtomic(stateFile, JSON.stringify(stateToJson(state), null, 2));
  return new FilePVImpl(keyFile, stateFile, key, pubKey, state);
}

/** Load a key and its sign state. A missing state file is created empty (a key that never signed), as CometBFT does. */
export async function loadFilePV(keyFile: string, stateFile: string): Promise<FilePV> {
  const { seed, pubKey } = parseKeyJson(await readFile(keyFile, 'utf8'), keyFile);
  const { key } = keyFromSeed(seed);
  let state: LastSignState;
  if (await exists(stateFile)) state = parseStateJson(await readFile(stateFile, 'utf8'), stateFile);
  else {
    state = { height: 0n, round: 0, step: 0 };
    await mkdir(dirname(stateFile), { recursive: true });
    await writeFileAtomic(stateFile, JSON.stringify(stateToJson(state), null, 2));
  }
  return new FilePVImpl(keyFile, stateFile, key, pubKey, state);
}

export async function loadOrGenFilePV(keyFile: string, stateFile: string): Promise<FilePV> {
  return (await exists(keyFile)) ? loadFilePV(keyFile, stateFile) : generateFilePV(keyFile, stateFile);
}
