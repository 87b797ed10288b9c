import fc from 'fast-check';
import protobuf from 'protobufjs';
import { fileURLToPath } from 'node:url';
import { bytesToHex } from '@noble/hashes/utils.js';
import { describe, expect, it } from 'vitest';
import { decodeEnvelope, encodeEnvelope, heartbeatSignBytes, type Envelope } from '../../app/p2p/messages/envelope.js';
import { GossipDecodeError } from '../../app/p2p/messages/errors.js';
import { decodeFrame, encodeFrame } from '../../app/p2p/messages/frame.js';
import { FRAME_LIMITS } from '../../app/p2p/messages/limits.js';
import { createEnvelopeValidator } from '../../app/p2p/messages/validate.js';
import { frameSize } from '../../app/p2p/sim/frame-size.js';
import type { PeerInfo } from '../../app/p2p/types.js';
import type { WireMessage } from '../../app/p2p/wire.js';

const root = protobuf.loadSync(fileURLToPath(new URL('../../proto/guts/p2p/v1/gossip.proto', import.meta.url)));
const Frame = root.lookupType('guts.p2p.v1.Frame');
const EnvelopeType = root.lookupType('guts.p2p.v1.Envelope');
const SignDoc = root.lookupType('guts.p2p.v1.HeartbeatSignDoc');
const toObject = (t: protobuf.Type, bytes: Uint8Array) => t.toObject(t.decode(bytes), { longs: String, enums: Number, bytes: Array, defaults: false });

const bytes = (min: number, max: number) => fc.uint8Array({ minLength: min, maxLength: max });
const peer: fc.Arbitrary<PeerInfo> = fc.record({
  id: fc.string({ minLength: 1, maxLength: 60 }),
  addrs: fc.array(fc.string({ maxLength: 40 }), { maxLength: 8 }),
});
const u32 = fc.integer({ min: 0, max: 0xffff_ffff });
const ttl = fc.integer({ min: 0, max: FRAME_LIMITS.maxTtl });
const ref = fc.record({ id: bytes(32, 32).map(bytesToHex), round: u32 });
const frame: fc.Arbitrary<WireMessage> = fc.oneof(
  fc.record({ type: fc.constant('join' as const), peer }),
  fc.record({ type: fc.constant('forwardJoin' as const), peer, ttl }),
  fc.record({ type: fc.constant('neighbor' as const), peer, priority: fc.constantFrom('high' as const, 'low' as const) }),
  fc.record({ type: fc.constant('neighborReply' as const), peer, accepted: fc.boolean() }),
  fc.record({ type: fc.constant('disconnect' as const), alive: fc.boolean() }),
  fc.record({ type: fc.constant('shuffle' as const), origin: peer, ttl, peers: fc.array(peer, { maxLength: 8 }), nonce: u32 }),
  fc.record({ type: fc.constant('shuffleReply' as const), peers: fc.array(peer, { maxLength: 8 }), nonce: u32 }),
  fc.record({ type: fc.constant('gossip' as const), payload: bytes(0, 300), round: u32 }),
  fc.record({ type: fc.constant('gossip' as const), payload: bytes(0, 300), round: u32, direct: fc.constant(true) }),
  fc.record({ type: fc.constant('ihave' as const), entries: fc.array(ref, { maxLength: 20 }) }),
  fc.record({ type: fc.constant('graft' as const), entries: fc.array(ref, { maxLength: 20 }) }),
  fc.constant({ type: 'prune' as const }),
);
const i64 = fc.bigInt({ min: 0n, max: 2n ** 63n - 1n });
const i32 = fc.integer({ min: 0, max: 2 ** 31 - 1 });
const envelope: fc.Arbitrary<Envelope> = fc.record({
  timestampMs: i64,
  body: fc.oneof(
    fc.record({ type: fc.constant('tx' as const), tx: bytes(1, 200) }),
    fc.record({ type: fc.constant('blockProposal' as const), height: i64, round: i32, proposal: bytes(1, 100), block: bytes(0, 200) }),
    fc.record({ type: fc.constant('vote' as const), height: i64, round: i32, vote: bytes(1, 100) }),
    fc.record({
      type: fc.constant('refUpdate' as const),
      repoKey: bytes(32, 32),
      refName: fc.string({ minLength: 1, maxLength: 50 }),
      oldOid: fc.oneof(bytes(0, 0), bytes(20, 32)),
      newOid: bytes(20, 32),
      commitChain: fc.array(bytes(20, 32), { maxLength: 5 }),
    }),
    fc.record({ type: fc.constant('collaborationEvent' as const), repoKey: bytes(32, 32), eventType: fc.integer({ min: 1, max: 9 }), itemId: bytes(16, 16), contentHash: bytes(32, 32) }),
    fc.record({ type: fc.constant('consensusMessage' as const), height: i64, round: i32, messageType: fc.integer({ min: 1, max: 7 }), payload: bytes(0, 100), signature: bytes(64, 64) }),
    fc.record({ type: fc.constant('validatorChange' as const), height: i64, validatorsHash: bytes(32, 32) }),
    fc.record({
      type: fc.constant('heartbeat' as const),
      heartbeat: fc.record({ validatorAddress: bytes(20, 20), peerId: fc.string({ minLength: 1, maxLength: 60 }), height: i64, timestampMs: i64, signature: bytes(64, 64) }),
    }),
  ),
});

/** Only GossipDecodeError may escape a decoder. */
function decodesOrTypedError(decode: () => unknown): void {
  try {
    decode();
  } catch (err) {
    expect(err).toBeInstanceOf(GossipDecodeError);
  }
}

describe('gossip frame codec', () => {
  it('round-trips every frame type (property)', () => {
    fc.assert(
      fc.property(frame, (m) => {
        expect(decodeFrame(encodeFrame(m))).toEqual(m);
      }),
      { numRuns: 500, seed: 1 },
    );
  });

  it('writes what protobufjs reflection over gossip.proto reads, and reads what it writes', () => {
    fc.assert(
      fc.property(frame, (m) => {
        const ours = encodeFrame(m);
        const theirs = toObject(Frame, ours);
        expect(Object.keys(theirs)).toHaveLength(1);
        const back = Frame.encode(Frame.fromObject(theirs)).finish();
        expect(decodeFrame(back)).toEqual(m);
      }),
      { numRuns: 300, seed: 2 },
    );
  });

  it('counts frame bytes in the simulator exactly as the encoder writes them (property)', () => {
    fc.assert(
      fc.property(frame, (m) => {
        expect(frameSize(m)).toBe(encodeFrame(m).length);
      }),
      { numRuns: 500, seed: 8 },
    );
  });

  it('decodes untrusted bytes to a frame or a GossipDecodeError, never anything else (fuzz)', () => {
    fc.assert(
      fc.property(bytes(0, 400), (b) => decodesOrTypedError(() => decodeFrame(b))),
      { numRuns: 3_000, seed: 3 },
    );
    fc.assert(
      fc.property(frame, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 }), fc.nat(), (m, flips, cut) => {
        const b = encodeFrame(m).slice();
        for (const [pos, v] of flips) b[pos % b.length] = v;
        decodesOrTypedError(() => decodeFrame(b));
        decodesOrTypedError(() => decodeFrame(b.subarray(0, cut % (b.length + 1))));
      }),
      { numRuns: 3_000, seed: 4 },
    );
  });

  it('refuses frames over their limits with the reason', () => {
    const reason = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return (e as GossipDecodeError).reason;
      }
      return 'ok';
    };
    const p = (i: number): PeerInfo => ({ id: `p${i}`, addrs: [] });
    expect(reason(() => decodeFrame(new Uint8Array(FRAME_LIMITS.maxFrameBytes + 1)))).toBe('too_large');
    expect(reason(() => decodeFrame(encodeFrame({ type: 'shuffleReply', peers: Array.from({ length: 65 }, (_, i) => p(i)), nonce: 1 })))).toBe('invalid_field');
    expect(reason(() => decodeFrame(encodeFrame({ type: 'join', peer: { id: 'x', addrs: Array(9).fill('/ip4/1.1.1.1') } })))).toBe('invalid_field');
    expect(reason(() => decodeFrame(encodeFrame({ type: 'forwardJoin', peer: p(1), ttl: 33 })))).toBe('invalid_field');
    expect(reason(() => decodeFrame(new Uint8Array([0x4a, 0x04, 0x0a, 0x02, 0x0a, 0x00])))).toBe('invalid_field'); // ihave entry with a 0-byte id
    expect(reason(() => decodeFrame(new Uint8Array(0)))).toBe('unknown_type');
    expect(reason(() => decodeFrame(new Uint8Array([0x98, 0x06, 0x01])))).toBe('unknown_type'); // only an unknown field 99
    expect(reason(() => decodeFrame(new Uint8Array([0x0b, 0x0c])))).toBe('malformed'); // group wire type
    expect(reason(() => decodeFrame(new Uint8Array([0x0a, 0x05, 0x0a])))).toBe('malformed'); // truncated
    expect(reason(() => decodeFrame(new Uint8Array([0x0a, 0x00])))).toBe('missing_field'); // join without peer
  });
});

describe('gossip envelope codec', () => {
  it('round-trips every body type and agrees with protobufjs reflection (property)', () => {
    fc.assert(
      fc.property(envelope, (env) => {
        const ours = encodeEnvelope(env);
        expect(decodeEnvelope(ours)).toEqual(env);
        const back = EnvelopeType.encode(EnvelopeType.fromObject(toObject(EnvelopeType, ours))).finish();
        expect(decodeEnvelope(back)).toEqual(env);
      }),
      { numRuns: 500, seed: 5 },
    );
  });

  it('decodes untrusted payloads to an envelope or a GossipDecodeError (fuzz)', () => {
    fc.assert(
      fc.property(envelope, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 }), (env, flips) => {
        const b = encodeEnvelope(env).slice();
        for (const [pos, v] of flips) b[pos % b.length] = v;
        decodesOrTypedError(() => decodeEnvelope(b));
      }),
      { numRuns: 3_000, seed: 6 },
    );
    fc.assert(
      fc.property(bytes(0, 300), (b) => decodesOrTypedError(() => decodeEnvelope(b))),
      { numRuns: 2_000, seed: 7 },
    );
  });

  it('checks each body against its own size limit and fixed-size fields against their sizes', () => {
    const tooBig = encodeEnvelope({ timestampMs: 0n, body: { type: 'collaborationEvent', repoKey: new Uint8Array(32), eventType: 1, itemId: new Uint8Array(16), contentHash: new Uint8Array(300) } });
    expect(() => decodeEnvelope(tooBig)).toThrow(expect.objectContaining({ reason: 'invalid_field' }));
    const shortKey = encodeEnvelope({ timestampMs: 0n, body: { type: 'validatorChange', height: 1n, validatorsHash: new Uint8Array(31) } });
    expect(() => decodeEnvelope(shortKey)).toThrow(expect.objectContaining({ reason: 'invalid_field' }));
    const unknownEnum = encodeEnvelope({ timestampMs: 0n, body: { type: 'consensusMessage', height: 1n, round: 0, messageType: 8, payload: new Uint8Array(1), signature: new Uint8Array(64) } });
    expect(() => decodeEnvelope(unknownEnum)).toThrow(expect.objectContaining({ reason: 'invalid_field' }));
  });

  it('signs heartbeats over the HeartbeatSignDoc encoding', () => {
    const h = { validatorAddress: new Uint8Array(20).fill(7), peerId: '12D3KooWexample', height: 42n, timestampMs: 1_700_000_000_000n };
    const ref = SignDoc.encode(SignDoc.fromObject({ chainId: 'guts-1', validatorAddress: h.validatorAddress, peerId: h.peerId, height: '42', timestampMs: '1700000000000' })).finish();
    expect(heartbeatSignBytes('guts-1', h)).toEqual(new Uint8Array(ref));
  });

  it('validates envelopes before forwarding: malformed rejected, stale or future ignored, then the application decides', () => {
    const tx = (timestampMs: bigint) => encodeEnvelope({ timestampMs, body: { type: 'tx', tx: new Uint8Array([1]) } });
    const v = createEnvelopeValidator({ replayWindowMs: 60_000, maxClockSkewMs: 5_000, accept: (env) => (env.body.type === 'tx' ? 'accept' : 'reject') });
    const now = 1_000_000;
    expect(v(new Uint8Array([0xff]), 'p', 'id', now)).toBe('reject');
    expect(v(tx(BigInt(now - 1_000)), 'p', 'id', now)).toBe('accept');
    expect(v(tx(BigInt(now - 61_000)), 'p', 'id', now)).toBe('ignore');
    expect(v(tx(BigInt(now + 6_000)), 'p', 'id', now)).toBe('ignore');
    expect(v(tx(0n), 'p', 'id', now)).toBe('accept');
    expect(createEnvelopeValidator({ requireTimestamp: true })(tx(0n), 'p', 'id', now)).toBe('reject');
    const vc = encodeEnvelope({ timestampMs: 0n, body: { type: 'validatorChange', height: 1n, validatorsHash: new Uint8Array(32) } });
    expect(v(vc, 'p', 'id', now)).toBe('reject');
  });
});
