import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyMerkleProof } from '@ethereumjs/mpt';
import { RLP } from '@ethereumjs/rlp';
import { openChainDB, type ChainDB } from '../../app/store/db.js';
import { createStateStore } from '../../app/store/state.js';
import type { StateStore } from '../../app/store/types.js';
import { decodeProofOp, encodeProofOp, InvalidProofOpError, verifyStoreProof } from '../../sdk/proof.js';
import { tempDir, text, utf8 } from './helpers.js';

let cleanup: () => Promise<void>;
let db: ChainDB;
let store: StateStore;

beforeEach(async () => {
  let dir: string;
  ({ dir, cleanup } = await tempDir());
  db = await openChainDB(dir);
  store = await createStateStore(db);
  for (let i = 0; i < 300; i++) await store.set(utf8(`bank/balances/${i}`), utf8(`${i * 10}stake`));
  await store.commit(1);
  await store.set(utf8('bank/balances/7'), utf8('0stake'));
  await store.delete(utf8('bank/balances/8'));
  await store.commit(2);
});
afterEach(async () => {
  await db.close();
  await cleanup();
});

describe('state proofs', () => {
  it('proves a value at a past height against that height’s app hash', async () => {
    const p = await store.prove(utf8('bank/balances/7'), 1);
    expect(p.height).toBe(1);
    expect(text(p.value)).toBe('70stake');
    expect(await verifyStoreProof(p)).toBe(true);
    // and the same key proves its newer value at the latest height
    const latest = await store.prove(utf8('bank/balances/7'));
    expect(text(latest.value)).toBe('0stake');
    expect(await verifyStoreProof(latest)).toBe(true);
  });

  it('proves absence of a deleted key and of a key that never existed', async () => {
    for (const key of [utf8('bank/balances/8'), utf8('bank/balances/999'), utf8('zzz')]) {
      const p = await store.prove(key, 2);
      expect(p.value).toBeUndefined();
      expect(await verifyStoreProof(p)).toBe(true);
    }
  });

  it('rejects a tampered value, a false absence, a wrong root and a truncated proof', async () => {
    const p = await store.prove(utf8('bank/balances/7'), 1);
    expect(await verifyStoreProof({ ...p, value: utf8('71stake') })).toBe(false);
    expect(await verifyStoreProof({ ...p, value: undefined })).toBe(false);
    expect(await verifyStoreProof({ ...p, root: store.committedRoot })).toBe(false);
    expect(await verifyStoreProof({ ...p, proof: p.proof.slice(0, -1) })).toBe(false);
    const absent = await store.prove(utf8('bank/balances/8'), 2);
    expect(await verifyStoreProof({ ...absent, value: utf8('80stake') })).toBe(false);
  });

  it('round-trips through the abci_query proof op, which @ethereumjs/mpt verifies on its own', async () => {
    const p = await store.prove(utf8('bank/balances/42'));
    const op = encodeProofOp(p);
    expect(op.type).toBe('guts:mpt');
    expect(RLP.decode(op.data)).toEqual(p.proof);
    const back = decodeProofOp(op);
    expect(back.proof).toEqual(p.proof);
    // an auditor with no Guts code: the library's verifier with the app hash as root
    const v = await verifyMerkleProof(back.key, back.proof, { root: p.root, useKeyHashing: false });
    expect(text(v!)).toBe('420stake');
  });

  it('refuses proof ops of another type or with malformed data', () => {
    expect(() => decodeProofOp({ type: 'ics23:iavl', key: utf8('k'), data: new Uint8Array() })).toThrow(InvalidProofOpError);
    expect(() => decodeProofOp({ type: 'guts:mpt', key: utf8('k'), data: RLP.encode([[utf8('nested')]]) })).toThrow(/RLP list of trie nodes/);
  });

  it('proves absence from an empty store with an empty proof', async () => {
    const { dir, cleanup: done } = await tempDir();
    const db2 = await openChainDB(dir);
    try {
      const empty = await createStateStore(db2);
      const p = await empty.prove(utf8('k'));
      expect(p.proof).toEqual([]);
      expect(await verifyStoreProof(p)).toBe(true);
      expect(await verifyStoreProof({ ...p, value: utf8('v') })).toBe(false);
    } finally {
      await db2.close();
      await done();
    }
  });
});
