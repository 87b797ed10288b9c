import { readFileSync } from 'node:fs';
import { toHex } from '@cosmjs/encoding';
import { sha256 } from '@noble/hashes/sha2.js';
import { SignedMsgType } from 'cosmjs-types/tendermint/types/types';
import { describe, expect, it } from 'vitest';
import {
  GO_ZERO_TIME,
  blockIdOf,
  commitHash,
  consensusParamsHash,
  dataHash,
  decodeSignBytes,
  emptyHash,
  encodeBlock,
  evidenceHash,
  hashFromByteSlices,
  headerHash,
  makePartSet,
  parseRfc3339,
  formatRfc3339,
  proofsFromByteSlices,
  computeRootFromProof,
  resultsHash,
  txProof,
  voteSignBytes,
  proposalSignBytes,
  addMs,
} from '../../app/consensus/encoding/index.js';
import { hashValidatorSet, addressFromEd25519 } from '../../app/consensus/validators.js';
import { blockFromJson, blockIdFromJson, commitFromJson, headerFromJson, valsetFromGenesis } from './helpers/comet-json.js';

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8'));
const H = (b: Uint8Array | undefined) => (b ? toHex(b).toUpperCase() : undefined);
const zeroId = { hash: new Uint8Array(0), partSetHeader: { total: 0, hash: new Uint8Array(0) } };

describe('vote sign bytes (CometBFT types/vote_test.go TestVoteSignBytesTestVectors)', () => {
  const vote = (type: SignedMsgType, height: bigint, round: number) => ({ type, height, round, blockId: zeroId, timestamp: GO_ZERO_TIME });
  const ts = [0x2a, 0xb, 0x8, 0x80, 0x92, 0xb8, 0xc3, 0x98, 0xfe, 0xff, 0xff, 0xff, 0x1];
  const one = [0x1, 0, 0, 0, 0, 0, 0, 0];
  const chain = [0x32, 0xd, ...new TextEncoder().encode('test_chain_id')];
  const cases: Array<[string, string, ReturnType<typeof vote>, number[]]> = [
    ['zero vote', '', vote(0, 0n, 0), [0xd, ...ts]],
    ['precommit h1 r1', '', vote(SignedMsgType.SIGNED_MSG_TYPE_PRECOMMIT, 1n, 1), [0x21, 0x8, 0x2, 0x11, ...one, 0x19, ...one, ...ts]],
    ['prevote h1 r1', '', vote(SignedMsgType.SIGNED_MSG_TYPE_PREVOTE, 1n, 1), [0x21, 0x8, 0x1, 0x11, ...one, 0x19, ...one, ...ts]],
    ['no type', '', vote(0, 1n, 1), [0x1f, 0x11, ...one, 0x19, ...one, ...ts]],
    ['with chain id', 'test_chain_id', vote(0, 1n, 1), [0x2e, 0x11, ...one, 0x19, ...one, ...ts, ...chain]],
  ];
  for (const [name, chainId, v, want] of cases) {
    it(`matches the vector: ${name}`, () => {
      expect(Array.from(voteSignBytes(chainId, v))).toEqual(want);
    });
  }

  it('decodes its own sign bytes back to the vote', () => {
    const blockId = { hash: sha256(new TextEncoder().encode('blockID_hash')), partSetHeader: { total: 1000000, hash: sha256(new TextEncoder().encode('psh')) } };
    const v = { type: SignedMsgType.SIGNED_MSG_TYPE_PRECOMMIT, height: 12345n, round: 2, blockId, timestamp: parseRfc3339('2017-12-25T03:00:01.234Z') };
    const d = decodeSignBytes(voteSignBytes('test_chain_id', v));
    expect(d).toMatchObject({ type: 2, height: 12345n, round: 2n, chainId: 'test_chain_id', timestamp: v.timestamp });
    expect(H(d.blockId?.hash)).toBe(H(blockId.hash));
    expect(d.blockId?.partSetHeader.total).toBe(1000000);
  });
});

describe('proposal sign bytes', () => {
  it('encode type 32, fixed-size height/round and a varint pol_round of -1', () => {
    const p = { height: 3n, round: 1, polRound: -1, blockId: zeroId, timestamp: GO_ZERO_TIME };
    const bytes = proposalSignBytes('c', p);
    const d = decodeSignBytes(bytes);
    expect(d).toMatchObject({ type: 32, height: 3n, round: 1n, polRound: -1n, chainId: 'c', timestamp: GO_ZERO_TIME });
    expect(d.blockId).toBeUndefined();
    // 0x20 = pol_round field 4 varint; -1 is ten bytes of varint.
    expect(Array.from(bytes.subarray(21, 32))).toEqual([0x20, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x1]);
  });
});

describe('Merkle tree (RFC 6962 as CometBFT crypto/merkle)', () => {
  it('hashes the empty tree to SHA-256("") and a leaf with a 0x00 prefix', () => {
    expect(H(emptyHash())).toBe('E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855');
    expect(H(hashFromByteSlices([new Uint8Array(0)]))).toBe('6E340B9CFFB37A989CA544E6BB780A2C78901D3FB33738768511A30617AFA01D');
  });

  it('produces proofs that lead back to the root for every leaf count up to 20', () => {
    for (let n = 1; n <= 20; n++) {
      const items = Array.from({ length: n }, (_, i) => new Uint8Array([i, n]));
      const { root, proofs } = proofsFromByteSlices(items);
      expect(H(root)).toBe(H(hashFromByteSlices(items)));
      proofs.forEach((p, i) => expect(H(computeRootFromProof(p, items[i]))).toBe(H(root)));
      if (n > 1) expect(computeRootFromProof(proofs[0], new Uint8Array([99]))).not.toEqual(root);
    }
  });
});

describe('recorded CometBFT 0.38 chain (tendermint-rs kvstore fixtures)', () => {
  const genesis = fixture('v0_38_genesis.json').result.genesis;
  const b10 = fixture('v0_38_block_at_height_10.json').result;
  const b1 = fixture('v0_38_block_at_height_1.json').result;

  it('computes the validators hash and proposer address from the genesis validator', () => {
    const vals = valsetFromGenesis(genesis);
    expect(H(hashValidatorSet(vals))).toBe(b10.block.header.validators_hash);
    expect(H(addressFromEd25519(vals.validators[0].pubKey.ed25519!))).toBe(genesis.validators[0].address);
  });

  it('computes the consensus params hash from HashedParams', () => {
    const p = genesis.consensus_params.block;
    expect(H(consensusParamsHash(BigInt(p.max_bytes), BigInt(p.max_gas)))).toBe(b10.block.header.consensus_hash);
  });

  it('computes the header hash of blocks 1 and 10 (= their block id hash)', () => {
    expect(H(headerHash(headerFromJson(b10.block.header)))).toBe(b10.block_id.hash);
    expect(H(headerHash(headerFromJson(b1.block.header)))).toBe(b1.block_id.hash);
  });

  it('computes last_commit_hash from the CommitSig bytes', () => {
    expect(H(commitHash(commitFromJson(b10.block.last_commit).signatures))).toBe(b10.block.header.last_commit_hash);
    expect(H(commitHash([]))).toBe(b1.block.header.last_commit_hash);
  });

  it('re-encodes the block to the same bytes: part set hash and block id match', () => {
    const block = blockFromJson(b10.block);
    expect(H(dataHash(block.data.txs))).toBe(b10.block.header.data_hash);
    expect(H(evidenceHash([]))).toBe(b10.block.header.evidence_hash);
    const { blockId, bytes } = blockIdOf(block);
    expect(bytes.length).toBe(569); // block_size in blockchain_from_1_to_10.json
    expect(blockId).toEqual(blockIdFromJson(b10.block_id));
    const { blockId: id1 } = blockIdOf(blockFromJson(b1.block));
    expect(id1).toEqual(blockIdFromJson(b1.block_id));
  });
});

describe('recorded CometBFT 0.37 blocks with a tx', () => {
  const { blocks } = fixture('v0_37_blocks_44_45.json');
  const [b44, b45] = blocks;

  it('data hash is the Merkle root of the tx hashes', () => {
    const block = blockFromJson(b44.block);
    expect(block.data.txs).toHaveLength(1);
    expect(H(dataHash(block.data.txs))).toBe(b44.block.header.data_hash);
    expect(H(blockIdOf(block).blockId.hash)).toBe(b44.block_id.hash);
    expect(blockIdOf(block).blockId).toEqual(blockIdFromJson(b44.block_id));
  });

  it('last results hash covers only code, data and gas of each result', () => {
    const r = { code: 0, data: new Uint8Array(0), log: 'ignored', info: 'ignored', gasWanted: 0n, gasUsed: 0n, events: [{ type: 'app', attributes: [] }], codespace: '' };
    expect(H(resultsHash([r]))).toBe(b45.block.header.last_results_hash);
    expect(H(headerHash(headerFromJson(b45.block.header)))).toBe(b45.block_id.hash);
  });
});

describe('tx proofs', () => {
  it('match a recorded tx_search proof', () => {
    const rec = fixture('v0_38_tx_search_with_prove.json').result.txs[0];
    const tx = Uint8Array.from(Buffer.from(rec.tx, 'base64'));
    const p = txProof([tx], 0);
    expect(H(p.rootHash)).toBe(rec.proof.root_hash);
    expect(Buffer.from(p.proof!.leafHash).toString('base64')).toBe(rec.proof.proof.leaf_hash);
    expect(p.proof!.aunts).toEqual([]);
    const many = [tx, new Uint8Array([1]), new Uint8Array([2])];
    const p1 = txProof(many, 1);
    expect(H(p1.rootHash)).toBe(H(dataHash(many)));
    expect(p1.proof!.aunts).toHaveLength(2);
  });
});

describe('part sets', () => {
  it('splits into 64 KiB parts whose Merkle root is the part set hash', () => {
    const data = new Uint8Array(65536 * 2 + 10).map((_, i) => i % 251);
    const ps = makePartSet(data);
    expect(ps.header.total).toBe(3);
    expect(ps.parts.map((p) => p.bytes.length)).toEqual([65536, 65536, 10]);
    expect(H(ps.header.hash)).toBe(H(hashFromByteSlices(ps.parts.map((p) => p.bytes))));
  });

  it('a header-less block cannot get an id', () => {
    const block = blockFromJson(fixture('v0_38_block_at_height_10.json').result.block);
    block.header.validatorsHash = new Uint8Array(0);
    expect(() => blockIdOf(block)).toThrow(/validators_hash/);
    expect(encodeBlock(block).length).toBeGreaterThan(0);
  });
});

describe('timestamps', () => {
  it('round-trips RFC 3339 with nanoseconds and adds milliseconds with carry', () => {
    const t = parseRfc3339('2023-05-17T14:12:53.088875124Z');
    expect(formatRfc3339(t)).toBe('2023-05-17T14:12:53.088875124Z');
    expect(formatRfc3339(addMs(t, 912))).toBe('2023-05-17T14:12:54.000875124Z');
    expect(formatRfc3339(GO_ZERO_TIME)).toBe('0001-01-01T00:00:00Z');
    expect(parseRfc3339('2023-05-17T16:12:53+02:00')).toEqual(parseRfc3339('2023-05-17T14:12:53Z'));
  });
});

