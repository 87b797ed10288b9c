import { fromBase64 } from '@cosmjs/encoding';
import { makeSignDoc } from '@cosmjs/proto-signing';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AuthInfo } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import { PubKey } from 'cosmjs-types/cosmos/crypto/secp256k1/keys';
import {
  CodedError,
  ErrInsufficientFee,
  ErrInsufficientFunds,
  ErrInvalidGasLimit,
  ErrInvalidPubKey,
  ErrMemoTooLarge,
  ErrOutOfGas,
  ErrTooManySignatures,
  ErrTxTimeoutHeight,
  ErrUnauthorized,
  ErrUnknownAddress,
  ErrUnknownRequest,
  ErrWrongSequence,
  type RegisteredError,
} from '../../app/errors.js';
import { createAnteHandler, SIMULATED_SIGNATURE_BYTES, type AnteHandler } from '../../app/tx/ante.js';
import { decodeTx, type DecodedTx } from '../../app/tx/decode.js';
import { parseDecCoins } from '../../app/tx/fees.js';
import { createGasMeter, createInfiniteGasMeter } from '../../app/tx/gas.js';
import { PreverifiedSignatures, preverifyBlock } from '../../app/tx/preverify.js';
import { inThreadVerifier, type SignatureVerifier, type VerifyItem } from '../../app/tx/secp256k1.js';
import { encodeTxRaw, getSigners, highS, makeKeys, msgSend, signTx, type Keys, type TxSpec } from './helpers.js';
import { FakeAuth, FakeBank, makeCtx } from './fakes.js';

let keys: Keys;
let alice: string;
let bob: string;
let carol: string;
beforeAll(async () => {
  keys = await makeKeys(3);
  [alice, bob, carol] = keys.accounts.map((a) => a.address);
});

/** Counts what reaches the verifier, so tests can see which signatures were checked. */
class CountingVerifier implements SignatureVerifier {
  calls: VerifyItem[][] = [];
  async verify(items: VerifyItem[]): Promise<boolean[]> {
    this.calls.push(items);
    return inThreadVerifier.verify(items);
  }
  get verified(): number {
    return this.calls.reduce((n, c) => n + c.length, 0);
  }
}

let auth: FakeAuth;
let bank: FakeBank;
let verifier: CountingVerifier;
let ante: AnteHandler;
beforeEach(() => {
  auth = new FakeAuth();
  bank = new FakeBank();
  verifier = new CountingVerifier();
  auth.add(alice, 5n, 0n);
  auth.add(bob, 6n, 0n);
  bank.fund(alice, 'ugut', 1_000_000n);
  bank.fund(bob, 'ugut', 1_000_000n);
  ante = createAnteHandler({ accountKeeper: auth, bankKeeper: bank, verifier, getSigners, params: { maxBlockGas: 10_000_000n } });
});

async function aliceTx(over: Partial<TxSpec> = {}, signer: Partial<{ accountNumber: bigint; sequence: bigint }> = {}): Promise<DecodedTx> {
  const signed = await signTx(keys, {
    signers: [{ key: 0, accountNumber: signer.accountNumber ?? 5n, sequence: signer.sequence ?? 0n }],
    msgs: [msgSend(alice, bob, '10')],
    ...over,
  });
  return decodeTx(signed.bytes);
}

async function rejects(p: Promise<unknown>, err: RegisteredError, detail?: RegExp): Promise<void> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e, 'expected the ante handler to reject').toBeInstanceOf(CodedError);
  expect({ codespace: (e as CodedError).codespace, code: (e as CodedError).code }).toEqual({ codespace: err.codespace, code: err.code });
  if (detail) expect((e as CodedError).message).toMatch(detail);
}

describe('ante handler', () => {
  it('accepts a cosmjs-signed tx: fee to the collector, pubkey stored, sequence bumped, gas charged', async () => {
    const tx = await aliceTx();
    const ctx = makeCtx();
    const res = await ante(ctx, tx);
    expect(res).toMatchObject({ gasWanted: 200_000n, feePayer: alice, signers: [alice], priority: 0n });
    expect(bank.balance(alice, 'ugut')).toBe(1_000_000n - 5000n);
    expect(bank.balance('fee_collector', 'ugut')).toBe(5000n);
    const acc = auth.accounts.get(alice)!;
    expect(acc.sequence).toBe(1n);
    expect(PubKey.decode(acc.pubKey!.value).key).toEqual(keys.accounts[0].pubkey);
    expect(ctx.gasMeter.consumed()).toBe(10n * BigInt(tx.raw.length) + 1000n);
    expect(verifier.verified).toBe(1);
    const attrs = ctx.events.events.flatMap((e) => e.attributes.map((a) => `${a.key}=${a.value}`));
    expect(attrs).toContain(`fee_payer=${alice}`);
    expect(attrs).toContain(`acc_seq=${alice}/0`);
  });

  it('accepts the next tx once the account has a pubkey, and rejects a replay', async () => {
    const first = await aliceTx();
    await ante(makeCtx(), first);
    await ante(makeCtx(), await aliceTx({}, { sequence: 1n }));
    expect(auth.accounts.get(alice)!.sequence).toBe(2n);
    await rejects(ante(makeCtx(), first), ErrWrongSequence, /account sequence mismatch, expected 2, got 0/);
  });

  it('rejects a wrong chain id, account number or high-S signature as unauthorized', async () => {
    const msg = /signature verification failed; please verify account number \(5\), sequence \(0\) and chain-id \(guts-test-1\)/;
    await rejects(ante(makeCtx(), await aliceTx({ chainId: 'other-chain' })), ErrUnauthorized, msg);
    await rejects(ante(makeCtx(), await aliceTx({}, { accountNumber: 9n })), ErrUnauthorized, msg);
    const good = await aliceTx();
    const malleated = decodeTx(encodeTxRaw({ bodyBytes: good.bodyBytes, authInfoBytes: good.authInfoBytes, signatures: [highS(good.signatures[0])] }));
    await rejects(ante(makeCtx(), malleated), ErrUnauthorized, msg);
    expect(auth.accounts.get(alice)!.sequence).toBe(0n);
  });

  it('rejects a wrong sequence with the expected and given values', async () => {
    await rejects(ante(makeCtx(), await aliceTx({}, { sequence: 4n })), ErrWrongSequence, /account sequence mismatch, expected 0, got 4/);
    expect(verifier.verified).toBe(0); // no signature work for a stale tx
  });

  it('rejects a memo over max_memo_characters', async () => {
    await rejects(ante(makeCtx(), await aliceTx({ memo: 'x'.repeat(257) })), ErrMemoTooLarge, /maximum number of characters is 256 but received 257/);
    await ante(makeCtx(), await aliceTx({ memo: 'x'.repeat(256) }));
  });

  it('rejects more signers than tx_sig_limit', async () => {
    auth.params = { ...auth.params, txSigLimit: 1n };
    const signed = await signTx(keys, {
      signers: [
        { key: 0, accountNumber: 5n, sequence: 0n },
        { key: 1, accountNumber: 6n, sequence: 0n },
      ],
      msgs: [msgSend(alice, carol), msgSend(bob, carol)],
    });
    await rejects(ante(makeCtx(), decodeTx(signed.bytes)), ErrTooManySignatures, /signatures: 2, limit: 1/);
  });

  it('rejects a zero gas limit and one above the block max gas', async () => {
    await rejects(ante(makeCtx(), await aliceTx({ gas: 0 })), ErrInvalidGasLimit);
    await rejects(ante(makeCtx(), await aliceTx({ gas: 20_000_000 })), ErrInvalidGasLimit, /exceeds block max gas 10000000/);
  });

  it('rejects a tx past its timeout height', async () => {
    await rejects(ante(makeCtx({ height: 11 }), await aliceTx({ timeoutHeight: 10n })), ErrTxTimeoutHeight, /block height: 11, timeout height: 10/);
    await ante(makeCtx({ height: 10 }), await aliceTx({ timeoutHeight: 10n }));
  });

  it('runs out of gas when the limit does not cover tx size and signature', async () => {
    const probe = await aliceTx({ gas: 3000 });
    const limit = 10n * BigInt(probe.raw.length) + 500n; // covers the size, not the signature
    const tx = await aliceTx({ gas: Number(limit) });
    expect(tx.raw.length).toBe(probe.raw.length);
    await rejects(ante(makeCtx({ gasMeter: createGasMeter(limit) }), tx), ErrOutOfGas, /out of gas in location: ante verify: secp256k1/);
    const tiny = await aliceTx({ gas: 100 });
    await rejects(ante(makeCtx({ gasMeter: createGasMeter(100n) }), tiny), ErrOutOfGas, /out of gas in location: txSize; gasWanted: 100/);
  });

  it('enforces min gas prices in CheckTx only, with exact decimal math', async () => {
    const minGasPrices = parseDecCoins('0.025ugut');
    const tx = await aliceTx({ fee: [{ denom: 'ugut', amount: '4999' }], gas: 200_000 });
    await rejects(ante(makeCtx({ mode: 'check' }), tx, { minGasPrices }), ErrInsufficientFee, /insufficient fees; got: 4999ugut required: 5000ugut/);
    await ante(makeCtx({ mode: 'deliver' }), tx, { minGasPrices });
    const exact = await aliceTx({ fee: [{ denom: 'ugut', amount: '5000' }], gas: 200_000 }, { sequence: 1n });
    await ante(makeCtx({ mode: 'check' }), exact, { minGasPrices });
    // ceil: 0.025 × 200001 = 5000.025 → 5001
    const odd = await aliceTx({ fee: [{ denom: 'ugut', amount: '5000' }], gas: 200_001 }, { sequence: 2n });
    await rejects(ante(makeCtx({ mode: 'check' }), odd, { minGasPrices }), ErrInsufficientFee, /required: 5001ugut/);
  });

  it('rejects a fee the payer cannot afford, and a payer that does not exist', async () => {
    await rejects(ante(makeCtx(), await aliceTx({ fee: [{ denom: 'ugut', amount: '2000000' }] })), ErrInsufficientFunds);
    auth.accounts.delete(alice);
    await rejects(ante(makeCtx(), await aliceTx()), ErrUnknownAddress, new RegExp(`fee payer address: ${alice} does not exist`));
  });

  it('rejects a signer account that does not exist', async () => {
    const signed = await signTx(keys, {
      signers: [
        { key: 0, accountNumber: 5n, sequence: 0n },
        { key: 2, accountNumber: 7n, sequence: 0n },
      ],
      msgs: [msgSend(alice, bob), msgSend(carol, bob)],
    });
    await rejects(ante(makeCtx(), decodeTx(signed.bytes)), ErrUnknownAddress, new RegExp(`account ${carol} does not exist`));
  });

  it('rejects a pubkey that is not the signer address, including signer_infos in the wrong order', async () => {
    await rejects(
      ante(makeCtx(), decodeTx((await signTx(keys, { signers: [{ key: 1, accountNumber: 5n, sequence: 0n }], msgs: [msgSend(alice, bob)] })).bytes)),
      ErrInvalidPubKey,
      /pubKey does not match signer address/,
    );
    const swapped = await signTx(keys, {
      signers: [
        { key: 1, accountNumber: 6n, sequence: 0n },
        { key: 0, accountNumber: 5n, sequence: 0n },
      ],
      msgs: [msgSend(alice, carol), msgSend(bob, carol)],
    });
    await rejects(ante(makeCtx(), decodeTx(swapped.bytes)), ErrInvalidPubKey, /signer index: 0/);
  });

  it('accepts a tx signed by two accounts, in message-signer order', async () => {
    const signed = await signTx(keys, {
      signers: [
        { key: 0, accountNumber: 5n, sequence: 0n },
        { key: 1, accountNumber: 6n, sequence: 0n },
      ],
      msgs: [msgSend(alice, carol), msgSend(bob, carol), msgSend(alice, bob)],
    });
    const res = await ante(makeCtx(), decodeTx(signed.bytes));
    expect(res.signers).toEqual([alice, bob]);
    expect(auth.accounts.get(bob)!.sequence).toBe(1n);
    expect(verifier.calls).toHaveLength(1); // both signatures in one batch
    expect(verifier.verified).toBe(2);
  });

  it('simulates an unsigned tx as cosmjs does, charging at least what the signed tx costs', async () => {
    const unsigned = await aliceTx({ unsigned: true, fee: [], gas: 0 });
    const sim = makeCtx({ mode: 'simulate', gasMeter: createInfiniteGasMeter() });
    await ante(sim, unsigned, { simulate: true });
    expect(verifier.verified).toBe(0);
    expect(sim.gasMeter.consumed()).toBe(10n * BigInt(unsigned.raw.length) + 10n * (SIMULATED_SIGNATURE_BYTES + 6n) + 1000n);
    const signed = await aliceTx({ fee: [], gas: 100_000 }, { sequence: 1n });
    const real = makeCtx();
    await ante(real, signed);
    expect(sim.gasMeter.consumed()).toBeGreaterThanOrEqual(real.gasMeter.consumed());
  });

  it('rejects a message whose signers the app cannot tell as an unknown request', async () => {
    const tx = await aliceTx();
    const strange = { ...tx, msgs: [{ typeUrl: '/guts.unknown.v1.MsgX', value: new Uint8Array() }] };
    await rejects(ante(makeCtx(), strange), ErrUnknownRequest, /cannot get the signers of \/guts.unknown.v1.MsgX/);
  });

  it('does not re-verify signatures on ReCheckTx', async () => {
    const tx = await aliceTx({ chainId: 'wrong' });
    await ante(makeCtx({ mode: 'recheck' }), tx);
    expect(verifier.verified).toBe(0);
  });
});

describe('preverifyBlock', () => {
  it('verifies a block in one batch and lets the ante handler skip those signatures', async () => {
    const txs = [await aliceTx(), decodeTx((await signTx(keys, { signers: [{ key: 1, accountNumber: 6n, sequence: 0n }], msgs: [msgSend(bob, alice)] })).bytes)];
    const lookup = (addr: string) => {
      const a = auth.accounts.get(addr);
      return a && { accountNumber: a.accountNumber };
    };
    const pre = await preverifyBlock(txs, lookup, { chainId: 'guts-test-1', verifier, getSigners });
    expect(pre.size).toBe(2);
    expect(verifier.calls).toHaveLength(1);
    for (const tx of txs) await ante(makeCtx(), tx, { preverified: pre });
    expect(verifier.verified).toBe(2); // nothing more than the block batch
  });

  it('leaves unknown signers and failed signatures to the ante handler', async () => {
    auth.add(carol, 8n);
    bank.fund(carol, 'ugut', 10_000n);
    const carolTx = decodeTx((await signTx(keys, { signers: [{ key: 2, accountNumber: 8n, sequence: 0n }], msgs: [msgSend(carol, alice)] })).bytes);
    const forged = await aliceTx({}, { accountNumber: 99n });
    const lookup = (addr: string) => (addr === carol ? undefined : { accountNumber: auth.accounts.get(addr)!.accountNumber });
    const pre = await preverifyBlock([carolTx, forged], lookup, { chainId: 'guts-test-1', verifier, getSigners });
    expect(pre.size).toBe(0);
    await ante(makeCtx(), carolTx, { preverified: pre });
    await rejects(ante(makeCtx(), forged, { preverified: pre }), ErrUnauthorized);
  });

  it('does not reuse results for another chain id or account number', async () => {
    const tx = await aliceTx();
    const pre = await preverifyBlock([tx], () => ({ accountNumber: 5n }), { chainId: 'guts-test-1', verifier, getSigners });
    expect(pre.has('other', tx.hashHex, 0, 5n, keys.accounts[0].pubkey)).toBe(false);
    expect(pre.has('guts-test-1', tx.hashHex, 0, 6n, keys.accounts[0].pubkey)).toBe(false);
    expect(pre.has('guts-test-1', tx.hashHex, 0, 5n, keys.accounts[0].pubkey)).toBe(true);
  });
});

describe('a long-lived set of verified signatures', () => {
  it('is not verified again by a later preverification that adds into it', async () => {
    const tx = await aliceTx();
    const lookup = (addr: string) => ({ accountNumber: auth.accounts.get(addr)!.accountNumber });
    const known = new PreverifiedSignatures('guts-test-1', 1_000);
    await preverifyBlock([tx], lookup, { chainId: 'guts-test-1', verifier, getSigners, into: known });
    const again = await preverifyBlock([tx], lookup, { chainId: 'guts-test-1', verifier, getSigners, into: known });
    expect(again).toBe(known);
    expect(verifier.verified).toBe(1);
    await ante(makeCtx(), tx, { preverified: known });
    expect(verifier.verified).toBe(1);
  });

  it('keeps at most its capacity and at least the most recent half', () => {
    const set = new PreverifiedSignatures('guts-test-1', 4);
    const pk = keys.accounts[0].pubkey;
    for (let i = 0; i < 10; i++) set.add(`H${i}`, 0, 1n, pk);
    expect(set.size).toBeLessThanOrEqual(4);
    expect(set.has('guts-test-1', 'H9', 0, 1n, pk)).toBe(true);
    expect(set.has('guts-test-1', 'H8', 0, 1n, pk)).toBe(true);
    expect(set.has('guts-test-1', 'H0', 0, 1n, pk)).toBe(false);
  });
});

describe('signer infos without a pubkey', () => {
  it('use the key stored on the account', async () => {
    await ante(makeCtx(), await aliceTx()); // stores the key
    const next = await aliceTx({}, { sequence: 1n });
    const info = AuthInfo.decode(next.authInfoBytes);
    const authInfoBytes = AuthInfo.encode({ ...info, signerInfos: [{ ...info.signerInfos[0], publicKey: undefined }] }).finish();
    // re-sign over the new auth info bytes with cosmjs
    const { signature } = await keys.wallet.signDirect(alice, makeSignDoc(next.bodyBytes, authInfoBytes, 'guts-test-1', 5));
    const tx = decodeTx(encodeTxRaw({ bodyBytes: next.bodyBytes, authInfoBytes, signatures: [fromBase64(signature.signature)] }));
    expect(tx.signerInfos[0].pubkey).toBeUndefined();
    await ante(makeCtx(), tx);
    expect(auth.accounts.get(alice)!.sequence).toBe(2n);
  });

  it('are rejected while the account has no key', async () => {
    const t = await aliceTx();
    const info = AuthInfo.decode(t.authInfoBytes);
    const authInfoBytes = AuthInfo.encode({ ...info, signerInfos: [{ ...info.signerInfos[0], publicKey: undefined }] }).finish();
    const tx = decodeTx(encodeTxRaw({ bodyBytes: t.bodyBytes, authInfoBytes, signatures: t.signatures }));
    await rejects(ante(makeCtx(), tx), ErrInvalidPubKey, /pubkey on account .* is not set/);
  });
});
