import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromBase64, toHex } from '@cosmjs/encoding';
import { sha256 } from '@noble/hashes/sha2.js';
import { SignedMsgType, type Vote } from 'cosmjs-types/tendermint/types/types';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { voteSignBytes } from '../../app/consensus/encoding/canonical.js';
import { addMs, timestampFromMs } from '../../app/consensus/encoding/time.js';
import { verifyEd25519 } from '../../app/consensus/ed25519.js';
import { heartbeatSignBytes } from '../../app/p2p/messages/envelope.js';
import { DoubleSignError, generateFilePV, loadFilePV, loadOrGenFilePV } from '../../app/consensus/privval.js';

let dir: string;
let keyFile: string;
let stateFile: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'guts-privval-'));
  keyFile = join(dir, 'config', 'priv_validator_key.json');
  stateFile = join(dir, 'data', 'priv_validator_state.json');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const blockId = (tag: number) => ({ hash: sha256(new Uint8Array([tag])), partSetHeader: { total: 1, hash: sha256(new Uint8Array([tag, 1])) } });
const precommit = (height: bigint, round: number, tag: number, ms = 1_700_000_000_000): Vote => ({
  type: SignedMsgType.SIGNED_MSG_TYPE_PRECOMMIT,
  height,
  round,
  blockId: blockId(tag),
  timestamp: timestampFromMs(ms),
  validatorAddress: new Uint8Array(20),
  validatorIndex: 0,
  signature: new Uint8Array(0),
  extension: new Uint8Array(0),
  extensionSignature: new Uint8Array(0),
});

describe('file private validator', () => {
  it('writes a CometBFT-format key file readable only by its owner', async () => {
    const pv = await generateFilePV(keyFile, stateFile);
    expect((await stat(keyFile)).mode & 0o777).toBe(0o600);
    expect((await stat(stateFile)).mode & 0o777).toBe(0o600);
    const j = JSON.parse(await readFile(keyFile, 'utf8'));
    expect(j.pub_key.type).toBe('tendermint/PubKeyEd25519');
    expect(j.priv_key.type).toBe('tendermint/PrivKeyEd25519');
    const priv = fromBase64(j.priv_key.value);
    expect(priv).toHaveLength(64);
    expect(toHex(priv.subarray(32))).toBe(toHex(pv.pubKey));
    expect(j.address).toBe(toHex(sha256(pv.pubKey).subarray(0, 20)).toUpperCase());
    expect(JSON.parse(await readFile(stateFile, 'utf8'))).toEqual({ height: '0', round: 0, step: 0 });
    await expect(generateFilePV(keyFile, stateFile)).rejects.toThrow(/already exists/);
    const again = await loadOrGenFilePV(keyFile, stateFile);
    expect(toHex(again.pubKey)).toBe(toHex(pv.pubKey));
  });

  it('signs votes verifiable against the canonical sign bytes and records them before returning', async () => {
    const pv = await generateFilePV(keyFile, stateFile);
    const v = precommit(5n, 0, 1);
    const signed = await pv.signVote('guts-1', v);
    expect(verifyEd25519(signed.signature, voteSignBytes('guts-1', v), pv.pubKey)).toBe(true);
    const state = JSON.parse(await readFile(stateFile, 'utf8'));
    expect(state).toMatchObject({ height: '5', round: 0, step: 3 });
    expect(state.signbytes).toBe(toHex(voteSignBytes('guts-1', v)).toUpperCase());
  });

  it('signs heartbeats over their own sign bytes without touching the double-sign state', async () => {
    const pv = await generateFilePV(keyFile, stateFile);
    await pv.signVote('guts-1', precommit(7n, 0, 1));
    const before = await readFile(stateFile, 'utf8');
    const hb = pv.signHeartbeat('guts-1', { peerId: '12D3KooWexample', height: 7n, timestampMs: 1_700_000_000_000n });
    expect(toHex(hb.validatorAddress)).toBe(toHex(pv.address));
    const { signature, ...unsigned } = hb;
    expect(verifyEd25519(signature, heartbeatSignBytes('guts-1', unsigned), pv.pubKey)).toBe(true);
    // another chain's bytes do not verify, and the vote sign state is unchanged
    expect(verifyEd25519(signature, heartbeatSignBytes('guts-2', unsigned), pv.pubKey)).toBe(false);
    expect(await readFile(stateFile, 'utf8')).toBe(before);
    await expect(pv.signVote('guts-1', precommit(7n, 0, 2))).rejects.toThrow(DoubleSignError);
  });

  it('after a reload, refuses a conflicting vote for the same height/round/step and any regression', async () => {
    const first = await generateFilePV(keyFile, stateFile);
    const signed = await first.signVote('guts-1', precommit(7n, 1, 1));
    const pv = await loadFilePV(keyFile, stateFile);
    expect(pv.lastSignState()).toMatchObject({ height: 7n, round: 1, step: 3 });

    await expect(pv.signVote('guts-1', precommit(7n, 1, 2))).rejects.toBeInstanceOf(DoubleSignError);
    await expect(pv.signVote('guts-1', precommit(6n, 5, 1))).rejects.toThrow(/height regression/);
    await expect(pv.signVote('guts-1', precommit(7n, 0, 1))).rejects.toThrow(/round regression/);
    await expect(pv.signVote('guts-1', { ...precommit(7n, 1, 1), type: SignedMsgType.SIGNED_MSG_TYPE_PREVOTE })).rejects.toThrow(/step regression/);

    // The very same vote is answered with the stored signature.
    const same = await pv.signVote('guts-1', precommit(7n, 1, 1));
    expect(toHex(same.signature)).toBe(toHex(signed.signature));
    // Only the timestamp differs: the earlier timestamp and signature come back.
    const later = precommit(7n, 1, 1);
    later.timestamp = addMs(later.timestamp, 500);
    const reused = await pv.signVote('guts-1', later);
    expect(reused.timestamp).toEqual(precommit(7n, 1, 1).timestamp);
    expect(toHex(reused.signature)).toBe(toHex(signed.signature));

    // A later round is fine.
    const next = await pv.signVote('guts-1', precommit(7n, 2, 2));
    expect(verifyEd25519(next.signature, voteSignBytes('guts-1', precommit(7n, 2, 2)), pv.pubKey)).toBe(true);
  });

  it('serialises concurrent signing so only one of two conflicting votes is signed', async () => {
    const pv = await generateFilePV(keyFile, stateFile);
    const results = await Promise.allSettled([pv.signVote('c', precommit(3n, 0, 1)), pv.signVote('c', precommit(3n, 0, 2))]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
  });
});
