/**
 * Shape checks before any signature is looked at: CometBFT `Header.ValidateBasic`,
 * `Commit.ValidateBasic`, `SignedHeader.ValidateBasic` and `LightBlock.ValidateBasic`
 * (types/block.go, types/light.go, v0.38). Browser-safe.
 */
import type { BlockID, Commit, Header } from 'cosmjs-types/tendermint/types/types';
import { BlockIDFlag, type ValidatorSet } from 'cosmjs-types/tendermint/types/validator';
import { headerHash } from '../../app/consensus/encoding/hashes.js';
import { addressFromEd25519, bytesEqual, hashValidatorSet, MAX_TOTAL_VOTING_POWER } from '../../app/consensus/validators.js';
import { LightClientError, toHex } from './errors.js';
import { BLOCK_PROTOCOL, MAX_CHAIN_ID_LENGTH, type LightBlock, type SignedHeader } from './types.js';

const invalid = (what: string, details?: string) => new LightClientError('invalid-header', what, details);

function checkHash(h: Uint8Array | undefined, what: string): void {
  if (!(h instanceof Uint8Array)) throw invalid(`${what} is missing`);
  if (h.length !== 0 && h.length !== 32) throw invalid(`${what} must be 32 bytes or empty`, `got ${h.length}`);
}

function checkBlockId(id: BlockID | undefined, what: string): void {
  if (!id || typeof id !== 'object' || !id.partSetHeader || typeof id.partSetHeader !== 'object') throw invalid(`${what} is missing`);
  checkHash(id.hash, `${what}.hash`);
  checkHash(id.partSetHeader.hash, `${what}.part_set_header.hash`);
  if (!Number.isInteger(id.partSetHeader.total) || id.partSetHeader.total < 0) throw invalid(`${what}.part_set_header.total must be a uint32`);
}

function isZeroBlockId(id: BlockID): boolean {
  return id.hash.length === 0 && id.partSetHeader.total === 0 && id.partSetHeader.hash.length === 0;
}

/** `Header.ValidateBasic`. */
export function validateHeader(h: Header): void {
  if (!h || typeof h !== 'object') throw invalid('header is missing');
  if (h.version?.block !== BLOCK_PROTOCOL) throw invalid('block protocol is incorrect', `got ${h.version?.block}, want ${BLOCK_PROTOCOL}`);
  if (typeof h.chainId !== 'string' || h.chainId.length > MAX_CHAIN_ID_LENGTH) throw invalid(`chain id must be a string of at most ${MAX_CHAIN_ID_LENGTH} characters`);
  if (typeof h.height !== 'bigint' || h.height <= 0n) throw invalid('header height must be positive', `got ${h.height}`);
  if (!h.time || typeof h.time.seconds !== 'bigint' || !Number.isInteger(h.time.nanos) || h.time.nanos < 0 || h.time.nanos > 999_999_999) throw invalid('header time is malformed');
  checkBlockId(h.lastBlockId, 'last_block_id');
  checkHash(h.lastCommitHash, 'last_commit_hash');
  checkHash(h.dataHash, 'data_hash');
  checkHash(h.evidenceHash, 'evidence_hash');
  if (!(h.proposerAddress instanceof Uint8Array) || h.proposerAddress.length !== 20) throw invalid('proposer address must be 20 bytes', `got ${h.proposerAddress?.length}`);
  checkHash(h.validatorsHash, 'validators_hash');
  checkHash(h.nextValidatorsHash, 'next_validators_hash');
  checkHash(h.consensusHash, 'consensus_hash');
  if (!(h.appHash instanceof Uint8Array)) throw invalid('app_hash is missing'); // any length (CometBFT)
  checkHash(h.lastResultsHash, 'last_results_hash');
  if (h.validatorsHash.length === 0) throw invalid('validators_hash is empty: the header is incomplete');
}

/** `Commit.ValidateBasic`. */
export function validateCommit(c: Commit): void {
  if (!c || typeof c !== 'object') throw invalid('commit is missing');
  if (typeof c.height !== 'bigint' || c.height < 1n) throw invalid('commit height must be positive', `got ${c.height}`);
  if (!Number.isInteger(c.round) || c.round < 0) throw invalid('commit round must be a non-negative integer', `got ${c.round}`);
  checkBlockId(c.blockId, 'commit block_id');
  if (isZeroBlockId(c.blockId)) throw invalid('commit is for a nil block');
  if (!Array.isArray(c.signatures) || c.signatures.length === 0) throw invalid('commit has no signatures');
  c.signatures.forEach((s, i) => {
    if (!s || !(s.validatorAddress instanceof Uint8Array) || !(s.signature instanceof Uint8Array)) throw invalid(`commit signature #${i} is malformed`);
    if (!s.timestamp || typeof s.timestamp.seconds !== 'bigint' || !Number.isInteger(s.timestamp.nanos)) throw invalid(`commit signature #${i} has a malformed timestamp`);
    const flag = s.blockIdFlag;
    if (flag === BlockIDFlag.BLOCK_ID_FLAG_ABSENT) {
      if (s.validatorAddress.length || s.signature.length) throw invalid(`commit signature #${i}: an absent vote carries an address or signature`);
    } else if (flag === BlockIDFlag.BLOCK_ID_FLAG_COMMIT || flag === BlockIDFlag.BLOCK_ID_FLAG_NIL) {
      if (s.validatorAddress.length !== 20) throw invalid(`commit signature #${i}: validator address must be 20 bytes`);
      if (s.signature.length === 0 || s.signature.length > 64) throw invalid(`commit signature #${i}: signature must be 1-64 bytes`);
    } else throw invalid(`commit signature #${i}: unknown block_id_flag ${flag}`);
  });
}

/** `SignedHeader.ValidateBasic(chainID)`: shapes, chain id, and the commit is for this header. */
export function validateSignedHeader(sh: SignedHeader, chainId: string): void {
  if (!sh) throw invalid('signed header is missing');
  validateHeader(sh.header);
  if (sh.header.chainId !== chainId) {
    throw new LightClientError('wrong-chain', 'header is from another chain', `got ${JSON.stringify(sh.header.chainId)}, expected ${JSON.stringify(chainId)}`);
  }
  validateCommit(sh.commit);
  if (sh.commit.height !== sh.header.height) throw invalid('commit height differs from header height', `commit ${sh.commit.height}, header ${sh.header.height}`);
  const hash = headerHash(sh.header)!;
  if (!bytesEqual(hash, sh.commit.blockId.hash)) {
    throw invalid('commit signs another header', `commit block hash ${toHex(sh.commit.blockId.hash)}, header hash ${toHex(hash)}`);
  }
}

/** A validator set as CometBFT's `ValidatorSet.ValidateBasic` sees it: non-empty, ed25519 keys with matching addresses, positive powers. */
export function validateValidatorSet(set: ValidatorSet): void {
  if (!set || !Array.isArray(set.validators) || set.validators.length === 0) throw new LightClientError('validators-mismatch', 'validator set is empty');
  let total = 0n;
  set.validators.forEach((v, i) => {
    if (!v || !(v.address instanceof Uint8Array)) throw new LightClientError('validators-mismatch', `validator #${i} is malformed`);
    const pub = v.pubKey?.ed25519;
    if (!(pub instanceof Uint8Array) || pub.length !== 32) throw new LightClientError('validators-mismatch', `validator #${i} has no 32-byte ed25519 key`);
    if (!bytesEqual(addressFromEd25519(pub), v.address)) throw new LightClientError('validators-mismatch', `validator #${i}: address is not SHA-256(pubkey)[:20]`);
    if (typeof v.votingPower !== 'bigint' || v.votingPower <= 0n) throw new LightClientError('validators-mismatch', `validator #${i} has non-positive power ${v.votingPower}`);
    total += v.votingPower;
  });
  if (total > MAX_TOTAL_VOTING_POWER) throw new LightClientError('validators-mismatch', `total voting power ${total} exceeds ${MAX_TOTAL_VOTING_POWER}`);
}

/** `LightBlock.ValidateBasic(chainID)`: the signed header is well formed and the set is the one its header names. */
export function validateLightBlock(lb: LightBlock, chainId: string): void {
  if (!lb) throw invalid('light block is missing');
  validateSignedHeader(lb.signedHeader, chainId);
  validateValidatorSet(lb.validatorSet);
  const h = hashValidatorSet(lb.validatorSet);
  if (!bytesEqual(h, lb.signedHeader.header.validatorsHash)) {
    throw new LightClientError(
      'validators-mismatch',
      `validator set does not match the header at height ${lb.signedHeader.header.height}`,
      `header validators_hash ${toHex(lb.signedHeader.header.validatorsHash)}, supplied set hashes to ${toHex(h)}`,
    );
  }
}
