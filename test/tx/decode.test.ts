import { makeSignBytes, makeSignDoc } from '@cosmjs/proto-signing';
import { toHex } from '@cosmjs/encoding';
import { sha256 } from '@noble/hashes/sha2.js';
import { SignMode } from 'cosmjs-types/cosmos/tx/signing/v1beta1/signing';
import { AuthInfo, TxBody } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  CodedError,
  ErrInvalidCoins,
  ErrNotSupported,
  ErrTxDecode,
  ErrTxTooLarge,
  ErrUnknownExtensionOptions,
  type RegisteredError,
} from '../../app/errors.js';
import { decodeTx } from '../../app/tx/decode.js';
import { directSignBytes } from '../../app/tx/signdoc.js';
import { CHAIN_ID, encodeTxRaw, makeKeys, msgSend, signTx, type Keys, type SignedTx } from './helpers.js';

const limits = { maxTxBytes: 1 << 20 };

function expectCode(f: () => unknown, err: RegisteredError, detail?: RegExp): void {
  let thrown: unknown;
  try {
    f();
  } catch (e) {
    thrown = e;
  }
  expect(thrown, 'expected an error').toBeInstanceOf(CodedError);
  expect({ codespace: (thrown as CodedError).codespace, code: (thrown as CodedError).code }).toEqual({ codespace: err.codespace, code: err.code });
  if (detail) expect((thrown as CodedError).message).toMatch(detail);
}

/** Append an unknown field (number 99, varint 1) to a message's bytes. */
const withUnknownField = (b: Uint8Array): Uint8Array => Uint8Array.from([...b, 0x98, 0x06, 0x01]);

let keys: Keys;
let tx: SignedTx;
beforeAll(async () => {
  keys = await makeKeys(2);
  tx = await signTx(keys, {
    signers: [{ key: 0, accountNumber: 7n, sequence: 3n }],
    msgs: [msgSend(keys.accounts[0].address, keys.accounts[1].address, '42')],
    memo: 'hello',
    fee: [{ denom: 'ugut', amount: '5000' }],
    gas: 200_000,
    timeoutHeight: 99n,
  });
});

describe('decodeTx', () => {
  it('decodes a tx signed by stock cosmjs', () => {
    const d = decodeTx(tx.bytes, limits);
    expect(d.hashHex).toBe(toHex(sha256(tx.bytes)).toUpperCase());
    expect(d.memo).toBe('hello');
    expect(d.timeoutHeight).toBe(99n);
    expect(d.fee).toEqual({ gasLimit: 200_000n, amount: [{ denom: 'ugut', amount: 5000n }], payer: '', granter: '' });
    expect(d.msgs.map((m) => m.typeUrl)).toEqual(['/cosmos.bank.v1beta1.MsgSend']);
    expect(d.signerInfos).toEqual([{ pubkey: keys.accounts[0].pubkey, sequence: 3n }]);
    expect(d.signatures).toEqual(tx.signatures);
    expect(d.bodyBytes).toEqual(tx.bodyBytes);
    expect(d.authInfoBytes).toEqual(tx.authInfoBytes);
  });

  it('builds the same SIGN_MODE_DIRECT sign bytes as cosmjs makeSignBytes', () => {
    const ours = directSignBytes({ bodyBytes: tx.bodyBytes, authInfoBytes: tx.authInfoBytes, chainId: CHAIN_ID, accountNumber: 7n });
    expect(ours).toEqual(makeSignBytes(makeSignDoc(tx.bodyBytes, tx.authInfoBytes, CHAIN_ID, 7)));
  });

  it('rejects empty and garbage bytes as a parse error', () => {
    expectCode(() => decodeTx(new Uint8Array(), limits), ErrTxDecode, /empty/);
    expectCode(() => decodeTx(Uint8Array.from([0xff, 0xff, 0xff]), limits), ErrTxDecode);
    expectCode(() => decodeTx(new TextEncoder().encode('not a transaction'), limits), ErrTxDecode);
  });

  it('checks the size limit before parsing', () => {
    expectCode(() => decodeTx(new Uint8Array(2000).fill(0xff), { maxTxBytes: 1000 }), ErrTxTooLarge, /2000 bytes; the limit is 1000/);
  });

  it('rejects unknown fields in TxRaw, TxBody and AuthInfo', () => {
    expectCode(() => decodeTx(withUnknownField(tx.bytes), limits), ErrTxDecode, /TxRaw is not canonically encoded/);
    expectCode(() => decodeTx(encodeTxRaw({ ...tx, bodyBytes: withUnknownField(tx.bodyBytes) }), limits), ErrTxDecode, /TxBody/);
    expectCode(() => decodeTx(encodeTxRaw({ ...tx, authInfoBytes: withUnknownField(tx.authInfoBytes) }), limits), ErrTxDecode, /AuthInfo/);
  });

  it('rejects non-canonical encodings: fields out of order, padded varints', () => {
    // TxRaw with auth_info_bytes (field 2) before body_bytes (field 1)
    const field = (n: number, b: Uint8Array) => [(n << 3) | 2, ...varint(b.length), ...b];
    const reordered = Uint8Array.from([...field(2, tx.authInfoBytes), ...field(1, tx.bodyBytes), ...field(3, tx.signatures[0])]);
    expectCode(() => decodeTx(reordered, limits), ErrTxDecode, /canonical/);
    // body timeout_height 99 encoded with a redundant continuation byte
    const body = TxBody.encode({ ...TxBody.decode(tx.bodyBytes), timeoutHeight: 0n }).finish();
    const padded = Uint8Array.from([...body, 0x18, 0xe3, 0x80, 0x00]);
    expect(TxBody.decode(padded).timeoutHeight).toBe(99n);
    expectCode(() => decodeTx(encodeTxRaw({ ...tx, bodyBytes: padded }), limits), ErrTxDecode, /canonical/);
  });

  it('rejects critical extension options but ignores non-critical ones', () => {
    const body = TxBody.decode(tx.bodyBytes);
    const ext = { typeUrl: '/guts.ext.v1.Something', value: new Uint8Array([1]) };
    const critical = TxBody.encode({ ...body, extensionOptions: [ext] }).finish();
    expectCode(() => decodeTx(encodeTxRaw({ ...tx, bodyBytes: critical }), limits), ErrUnknownExtensionOptions, /guts.ext.v1.Something/);
    const nonCritical = TxBody.encode({ ...body, nonCriticalExtensionOptions: [ext] }).finish();
    expect(decodeTx(encodeTxRaw({ ...tx, bodyBytes: nonCritical }), limits).msgs).toHaveLength(1);
  });

  it('rejects unordered txs as not supported', () => {
    const body = TxBody.encode({ ...TxBody.decode(tx.bodyBytes), unordered: true }).finish();
    expectCode(() => decodeTx(encodeTxRaw({ ...tx, bodyBytes: body }), limits), ErrNotSupported);
  });

  it('rejects sign modes other than SIGN_MODE_DIRECT', async () => {
    const amino = await signTx(keys, { signers: [{ key: 0, accountNumber: 7n, sequence: 0n }], msgs: [msgSend(keys.accounts[0].address, keys.accounts[1].address)], signMode: SignMode.SIGN_MODE_LEGACY_AMINO_JSON });
    expectCode(() => decodeTx(amino.bytes, limits), ErrTxDecode, /SIGN_MODE_LEGACY_AMINO_JSON is not supported/);
  });

  it('rejects a signer_infos / signatures count mismatch', () => {
    expectCode(() => decodeTx(encodeTxRaw({ ...tx, signatures: [] }), limits), ErrTxDecode, /1 signer infos but 0 signatures/);
    expectCode(() => decodeTx(encodeTxRaw({ ...tx, signatures: [tx.signatures[0], tx.signatures[0]] }), limits), ErrTxDecode, /1 signer infos but 2/);
  });

  it('rejects a tx without messages', () => {
    const body = TxBody.encode({ ...TxBody.decode(tx.bodyBytes), messages: [] }).finish();
    expectCode(() => decodeTx(encodeTxRaw({ ...tx, bodyBytes: body }), limits), ErrTxDecode, /no messages/);
  });

  it('rejects public keys that are not compressed secp256k1', () => {
    const auth = AuthInfo.decode(tx.authInfoBytes);
    const withKey = (typeUrl: string, value: Uint8Array) =>
      encodeTxRaw({ ...tx, authInfoBytes: AuthInfo.encode({ ...auth, signerInfos: [{ ...auth.signerInfos[0], publicKey: { typeUrl, value } }] }).finish() });
    expectCode(() => decodeTx(withKey('/cosmos.crypto.ed25519.PubKey', Uint8Array.from([0x0a, 32, ...new Uint8Array(32)])), limits), ErrTxDecode, /ed25519/);
    const uncompressed = Uint8Array.from([0x0a, 65, 0x04, ...new Uint8Array(64)]);
    expectCode(() => decodeTx(withKey('/cosmos.crypto.secp256k1.PubKey', uncompressed), limits), ErrTxDecode, /33 bytes, compressed/);
  });

  it('rejects malformed fee amounts', () => {
    const auth = AuthInfo.decode(tx.authInfoBytes);
    const fee = (amount: string, denom = 'ugut') => encodeTxRaw({ ...tx, authInfoBytes: AuthInfo.encode({ ...auth, fee: { ...auth.fee!, amount: [{ denom, amount }] } }).finish() });
    expectCode(() => decodeTx(fee('-5'), limits), ErrInvalidCoins);
    expectCode(() => decodeTx(fee('1.5'), limits), ErrInvalidCoins);
    expectCode(() => decodeTx(fee('5', 'u'), limits), ErrInvalidCoins);
    expect(decodeTx(fee('0'), limits).fee.amount).toEqual([]);
  });
});

function varint(n: number): number[] {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  out.push(n);
  return out;
}

describe('decodeTx fuzzing', () => {
  const onlyCodedSdk = (bytes: Uint8Array): void => {
    try {
      decodeTx(bytes, limits);
    } catch (e) {
      if (!(e instanceof CodedError) || e.codespace !== 'sdk') throw e;
    }
  };

  it('never throws anything but an sdk CodedError on random bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 512 }), onlyCodedSdk), { numRuns: 3000 });
  });

  it('never throws anything but an sdk CodedError on mutated valid txs', () => {
    const mutation = fc.oneof(
      fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
      fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
      fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }) }),
      fc.record({ kind: fc.constant('set' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
    );
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), (muts) => {
        let b = Uint8Array.from(tx.bytes);
        for (const m of muts) {
          const at = m.at % (b.length + 1);
          if (m.kind === 'flip' && at < b.length) b[at] ^= 1 << m.bit;
          if (m.kind === 'set' && at < b.length) b[at] = m.byte;
          if (m.kind === 'cut') b = b.slice(0, at);
          if (m.kind === 'insert') b = Uint8Array.from([...b.subarray(0, at), ...m.bytes, ...b.subarray(at)]);
        }
        onlyCodedSdk(b);
      }),
      { numRuns: 3000 },
    );
  });

  it('never throws anything but an sdk CodedError on mutated inner bodies and auth infos', () => {
    fc.assert(
      fc.property(fc.boolean(), fc.nat(), fc.integer({ min: 0, max: 255 }), (body, at, byte) => {
        const inner = Uint8Array.from(body ? tx.bodyBytes : tx.authInfoBytes);
        inner[at % inner.length] = byte;
        onlyCodedSdk(encodeTxRaw(body ? { ...tx, bodyBytes: inner } : { ...tx, authInfoBytes: inner }));
      }),
      { numRuns: 3000 },
    );
  });
});
