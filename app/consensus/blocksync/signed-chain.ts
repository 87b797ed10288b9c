/**
 * Real signed CometBFT chains for tests, benchmarks and simulations: full headers
 * hashed as CometBFT does, blocks chained by last_block_id and last_commit, and commits
 * of ed25519 precommits over the canonical vote sign bytes, with the validator set
 * changing between heights as the caller says. Not browser-safe (signs with node:crypto).
 */
import { sha256 } from '@noble/hashes/sha2.js';
import type { Block } from 'cosmjs-types/tendermint/types/block';
import type { BlockID, Commit, CommitSig, Header } from 'cosmjs-types/tendermint/types/types';
import { BlockIDFlag, type ValidatorSet } from 'cosmjs-types/tendermint/types/validator';
import { blockIdOf } from '../encoding/block.js';
import { commitHash, consensusParamsHash, dataHash, evidenceHash } from '../encoding/hashes.js';
import { emptyHash } from '../encoding/merkle.js';
import { GO_ZERO_TIME, timestampFromMs } from '../encoding/time.js';
import { ed25519KeyFromSeed, type Ed25519Key } from '../engine/crypto.js';
import { commitVoteSignBytes } from '../verify.js';
import { addressFromEd25519, hashValidatorSet, sortValidators, totalVotingPower } from '../validators.js';

/** A validator of a height: which key (index into the chain's keys) with what power. */
export interface ValidatorSpec {
  key: number;
  power: bigint;
}

export interface SignedChainBlock {
  height: bigint;
  block: Block;
  /** Proto bytes of the block. */
  bytes: Uint8Array;
  blockId: BlockID;
  /** The commit for this block (what the next block carries as last_commit). */
  commit: Commit;
  /** The set that signed this block (its header's validators_hash). */
  validatorSet: ValidatorSet;
}

export interface SignedChain {
  chainId: string;
  keys: Ed25519Key[];
  /** blocks[0] is height 1. */
  blocks: SignedChainBlock[];
  at(height: bigint | number): SignedChainBlock;
  validatorSetOf(specs: readonly ValidatorSpec[]): ValidatorSet;
}

export interface BuildSignedChainParameters {
  chainId: string;
  /** Number of blocks (heights 1..length). */
  length: number;
  /** How many keys exist; validator specs index into them. */
  keyCount: number;
  /** The validator set of each height (1..length+1: the last one is the final header's next set). */
  validatorsAt: (height: number) => readonly ValidatorSpec[];
  /** Which validators of a height's set sign its commit (set indices); default all. */
  signersAt?: (height: number, set: ValidatorSet) => readonly number[];
  genesisTimeMs?: number;
  blockIntervalMs?: number;
  txsAt?: (height: number) => Uint8Array[];
  /** Distinguishes keys of different chains built in one process; default 'guts'. */
  keySeed?: string;
}

const enc = new TextEncoder();

export function testKeys(count: number, seed = 'guts'): Ed25519Key[] {
  return Array.from({ length: count }, (_, i) => ed25519KeyFromSeed(sha256(enc.encode(`${seed}-validator-${i}`))));
}

export function validatorSetOf(keys: readonly Ed25519Key[], specs: readonly ValidatorSpec[]): ValidatorSet {
  const validators = sortValidators(
    specs.map((s) => ({ address: addressFromEd25519(keys[s.key].pubKey), pubKey: { ed25519: keys[s.key].pubKey }, votingPower: s.power, proposerPriority: 0n })),
  );
  return { validators, proposer: validators[0], totalVotingPower: totalVotingPower({ validators }) };
}

/** Sign a commit for `blockId` at `height` by the given set indices (the rest absent). */
export function signCommit(
  chainId: string,
  keys: readonly Ed25519Key[],
  set: ValidatorSet,
  height: bigint,
  blockId: BlockID,
  timeMs: number,
  signers: readonly number[],
  round = 0,
): Commit {
  const byAddress = new Map(keys.map((k) => [Buffer.from(addressFromEd25519(k.pubKey)).toString('hex'), k]));
  const signing = new Set(signers);
  const signatures: CommitSig[] = set.validators.map((v, i) =>
    signing.has(i)
      ? { blockIdFlag: BlockIDFlag.BLOCK_ID_FLAG_COMMIT, validatorAddress: v.address, timestamp: timestampFromMs(timeMs + 1 + i), signature: new Uint8Array(0) }
      : { blockIdFlag: BlockIDFlag.BLOCK_ID_FLAG_ABSENT, validatorAddress: new Uint8Array(0), timestamp: GO_ZERO_TIME, signature: new Uint8Array(0) },
  );
  const commit: Commit = { height, round, blockId, signatures };
  set.validators.forEach((v, i) => {
    if (!signing.has(i)) return;
    const key = byAddress.get(Buffer.from(v.address).toString('hex'));
    if (!key) throw new Error(`no key for validator #${i}`);
    signatures[i].signature = key.sign(commitVoteSignBytes(chainId, commit, i));
  });
  return commit;
}

export function buildSignedChain(p: BuildSignedChainParameters): SignedChain {
  const keys = testKeys(p.keyCount, p.keySeed);
  const genesisMs = p.genesisTimeMs ?? Date.UTC(2026, 0, 1);
  const interval = p.blockIntervalMs ?? 1000;
  const sets = new Map<number, ValidatorSet>();
  const setAt = (h: number) => {
    let s = sets.get(h);
    if (!s) sets.set(h, (s = validatorSetOf(keys, p.validatorsAt(h))));
    return s;
  };
  const blocks: SignedChainBlock[] = [];
  const emptyCommit: Commit = { height: 0n, round: 0, blockId: { hash: new Uint8Array(0), partSetHeader: { total: 0, hash: new Uint8Array(0) } }, signatures: [] };
  for (let h = 1; h <= p.length; h++) {
    const prev = blocks[h - 2];
    const set = setAt(h);
    const timeMs = genesisMs + (h - 1) * interval;
    const txs = p.txsAt?.(h) ?? [];
    const header: Header = {
      version: { block: 11n, app: 1n },
      chainId: p.chainId,
      height: BigInt(h),
      time: timestampFromMs(timeMs),
      lastBlockId: prev ? prev.blockId : { hash: new Uint8Array(0), partSetHeader: { total: 0, hash: new Uint8Array(0) } },
      lastCommitHash: commitHash(prev ? prev.commit.signatures : []),
      dataHash: dataHash(txs),
      validatorsHash: hashValidatorSet(set),
      nextValidatorsHash: hashValidatorSet(setAt(h + 1)),
      consensusHash: consensusParamsHash(22020096n, -1n),
      appHash: sha256(enc.encode(`${p.chainId}-app-${h - 1}`)),
      lastResultsHash: emptyHash(),
      evidenceHash: evidenceHash([]),
      proposerAddress: set.validators[h % set.validators.length].address,
    };
    const block: Block = { header, data: { txs }, evidence: { evidence: [] }, lastCommit: prev ? prev.commit : emptyCommit };
    const { blockId, bytes } = blockIdOf(block);
    const signers = p.signersAt?.(h, set) ?? set.validators.map((_, i) => i);
    const commit = signCommit(p.chainId, keys, set, BigInt(h), blockId, timeMs, signers);
    blocks.push({ height: BigInt(h), block, bytes, blockId, commit, validatorSet: set });
  }
  return {
    chainId: p.chainId,
    keys,
    blocks,
    at: (height) => {
      const b = blocks[Number(height) - 1];
      if (!b) throw new RangeError(`the chain has no block ${height}`);
      return b;
    },
    validatorSetOf: (specs) => validatorSetOf(keys, specs),
  };
}
