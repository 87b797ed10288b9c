import { readFileSync } from 'node:fs';
import type { Commit } from 'cosmjs-types/tendermint/types/types';
import { BlockIDFlag } from 'cosmjs-types/tendermint/types/validator';
import { describe, expect, it } from 'vitest';
import { GO_ZERO_TIME } from '../../app/consensus/encoding/time.js';
import { CommitVerificationError, verifyCommit, verifyCommitLight, verifyCommitLightTrusting } from '../../app/consensus/verify.js';
import { blockIdFromJson, commitFromJson, valsetFromGenesis } from './helpers/comet-json.js';

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8'));

describe('verifyCommit against a recorded CometBFT 0.38 commit', () => {
  const genesis = fixture('v0_38_genesis.json').result.genesis;
  const signed = fixture('v0_38_commit_at_height_10.json').result.signed_header;
  const block10 = fixture('v0_38_block_at_height_10.json').result;
  const vals = valsetFromGenesis(genesis);
  const commit = commitFromJson(signed.commit);
  const blockId = blockIdFromJson(block10.block_id);

  const reason = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      expect(e).toBeInstanceOf(CommitVerificationError);
      return (e as CommitVerificationError).reason;
    }
    return 'accepted';
  };

  it('accepts the commit for block 10 and reports the signed power', () => {
    expect(verifyCommit('dockerchain', vals, blockId, 10, commit)).toBe(10n);
    expect(verifyCommitLight('dockerchain', vals, blockId, 10n, commit)).toBe(10n);
    expect(verifyCommitLightTrusting('dockerchain', vals, commit)).toBe(10n);
  });

  it('accepts block 10 last_commit as the commit for block 9', () => {
    const last = commitFromJson(block10.block.last_commit);
    expect(verifyCommit('dockerchain', vals, blockIdFromJson(block10.block.header.last_block_id), 9, last)).toBe(10n);
  });

  it('rejects a wrong chain id, height, block id or signature', () => {
    expect(reason(() => verifyCommit('otherchain', vals, blockId, 10, commit))).toBe('bad-signature');
    expect(reason(() => verifyCommit('dockerchain', vals, blockId, 11, commit))).toBe('wrong-height');
    const otherId = { ...blockId, hash: new Uint8Array(32) };
    expect(reason(() => verifyCommit('dockerchain', vals, otherId, 10, commit))).toBe('wrong-block-id');
    const tampered: Commit = { ...commit, signatures: [{ ...commit.signatures[0], signature: commit.signatures[0].signature.map((b, i) => (i === 0 ? b ^ 1 : b)) }] };
    expect(reason(() => verifyCommit('dockerchain', vals, blockId, 10, tampered))).toBe('bad-signature');
    const moved: Commit = { ...commit, signatures: [{ ...commit.signatures[0], timestamp: { ...commit.signatures[0].timestamp, nanos: 1 } }] };
    expect(reason(() => verifyCommit('dockerchain', vals, blockId, 10, moved))).toBe('bad-signature');
  });

  it('rejects a commit without enough power or with the wrong number of signatures', () => {
    const absent: Commit = {
      ...commit,
      signatures: [{ blockIdFlag: BlockIDFlag.BLOCK_ID_FLAG_ABSENT, validatorAddress: new Uint8Array(0), timestamp: GO_ZERO_TIME, signature: new Uint8Array(0) }],
    };
    expect(reason(() => verifyCommit('dockerchain', vals, blockId, 10, absent))).toBe('not-enough-power');
    expect(reason(() => verifyCommit('dockerchain', vals, blockId, 10, { ...commit, signatures: [] }))).toBe('size-mismatch');
    const twice = { ...vals, validators: [...vals.validators, { ...vals.validators[0], address: new Uint8Array(20) }] };
    expect(reason(() => verifyCommit('dockerchain', twice, blockId, 10, commit))).toBe('size-mismatch');
  });
});
