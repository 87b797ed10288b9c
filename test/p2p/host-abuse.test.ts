/**
 * Bad input against a real host (issue 6, "Bad input"): malformed frames, frames over
 * the size limit and a stream of invalid messages are dropped, cost the sender score
 * and end in a ban that outlives a restart; request/response enforces its size limits
 * and deadlines with coded errors.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isError } from '../../app/errors.js';
import { encodeEnvelope } from '../../app/p2p/messages/envelope.js';
import { encodeFrame } from '../../app/p2p/messages/frame.js';
import { FRAME_LIMITS } from '../../app/p2p/messages/limits.js';
import { ErrHostNotStarted, ErrPeerUnreachable, ErrRemoteHandler, ErrRequestTimeout, ErrRequestTooLarge, ErrResponseTooLarge, createP2PHost } from '../../app/p2p/host/index.js';
import { createAttacker, sendFrame, sendLengthOnly, type Attacker } from './helpers/host-attacker.js';
import { CHAIN_ID, boot, destroy, freePorts, gossipNode, gotTag, makeHost, nodeKey, p2pConfig, silentLogger, txBody, waitFor, type TestHost } from './helpers/host-net.js';

const rejectBad = (body: { type: string; tx?: Uint8Array }): 'accept' | 'reject' => (body.type === 'tx' && new TextDecoder().decode(body.tx).startsWith('bad') ? 'reject' : 'accept');

describe('libp2p host: bad input', () => {
  let a: TestHost;
  let b: TestHost;
  const attackers: Attacker[] = [];
  beforeAll(async () => {
    const [pa, pb] = await freePorts(2);
    a = await makeHost(pa, { validate: rejectBad });
    b = await makeHost(pb, { validate: rejectBad, bootstrap: [a.host.addresses()[0]] });
    await waitFor('a and b are neighbours', () => gossipNode(a.host).membership.isActive(b.host.peerId) && gossipNode(b.host).membership.isActive(a.host.peerId));
  });
  afterAll(async () => {
    await Promise.all(attackers.map((x) => x.stop().catch(() => undefined)));
    await destroy([a, b]);
  });

  const attacker = async (): Promise<Attacker> => {
    const x = await createAttacker();
    attackers.push(x);
    return x;
  };
  const banned = (peer: string): boolean => gossipNode(a.host).bans.isBanned(peer, Date.now());

  it('a peer sending frames that do not decode is scored down and banned; the host keeps serving others', async () => {
    const x = await attacker();
    const s = await x.open(a.host.addresses()[0]);
    for (let i = 0; i < 6; i++) sendFrame(s, new Uint8Array([0xff, 0xff, 0xff, i]));
    await waitFor('the attacker banned', () => banned(x.peerId));
    await waitFor('the attacker hung up on', () => x.node.getConnections().length === 0);
    await expect(x.open(a.host.addresses()[0])).rejects.toThrow();

    b.host.broadcast(txBody('still-served'));
    await waitFor('a still gets b’s broadcasts', () => gotTag(a, 'still-served'));
  });

  it('a frame declared over the size limit resets the stream before it is buffered and costs score', async () => {
    const x = await attacker();
    for (let i = 0; i < 4 && !banned(x.peerId); i++) {
      const s = await x.open(a.host.addresses()[0]);
      sendLengthOnly(s, FRAME_LIMITS.maxFrameBytes + 1);
      await waitFor('the stream reset', () => s.status !== 'open');
    }
    await waitFor('the attacker banned after repeated oversized frames', () => banned(x.peerId));
  });

  it('a peer spamming messages the application rejects is banned; none is delivered or forwarded', async () => {
    const x = await attacker();
    const s = await x.open(a.host.addresses()[0]);
    for (let i = 0; i < 6; i++) {
      const payload = encodeEnvelope({ timestampMs: BigInt(Date.now()), body: txBody(`bad-${i}`) });
      sendFrame(s, encodeFrame({ type: 'gossip', payload, round: 0 }));
    }
    await waitFor('the spammer banned', () => banned(x.peerId));
    expect(a.got.some(({ env }) => env.body.type === 'tx' && new TextDecoder().decode(env.body.tx).startsWith('bad'))).toBe(false);
    expect(b.got.some(({ env }) => env.body.type === 'tx' && new TextDecoder().decode(env.body.tx).startsWith('bad'))).toBe(false);
  });

  it('bans persist in the node home: after a restart the banned peers are still refused', { timeout: 60_000 }, async () => {
    const bannedIds = attackers.map((x) => x.peerId);
    expect(bannedIds.every(banned)).toBe(true);
    await a.host.stop();
    await boot(a, { validate: rejectBad });
    expect(bannedIds.every(banned)).toBe(true);
    await expect(attackers[0].open(a.host.addresses()[0])).rejects.toThrow();
  });

  describe('request/response', () => {
    const PROTO = '/guts/test/echo/1';
    beforeAll(() => {
      a.host.handle(PROTO, async (req) => (req.length === 7 ? new Uint8Array(4096) : req), { maxRequestBytes: 1024, maxResponseBytes: 2048 });
      a.host.handle('/guts/test/slow/1', () => new Promise((r) => setTimeout(() => r(new Uint8Array(1)), 5_000)), { timeoutMs: 10_000 });
      a.host.handle('/guts/test/fails/1', async () => {
        throw new Error('no such block');
      });
    });

    it('answers a request within the limits', async () => {
      const res = await b.host.request(a.host.peerId, PROTO, new Uint8Array([1, 2, 3]));
      expect([...res]).toEqual([1, 2, 3]);
    });

    it('refuses a request over maxRequestBytes, a response over the handler’s or the caller’s limit, with coded errors', async () => {
      const tooBig = await b.host.request(a.host.peerId, PROTO, new Uint8Array(2000)).catch((e: unknown) => e);
      expect(isError(tooBig, ErrRequestTooLarge)).toBe(true);
      const bigAnswer = await b.host.request(a.host.peerId, PROTO, new Uint8Array(7)).catch((e: unknown) => e);
      expect(isError(bigAnswer, ErrResponseTooLarge)).toBe(true);
      const overCallerLimit = await b.host.request(a.host.peerId, PROTO, new Uint8Array(100), { maxResponseBytes: 10 }).catch((e: unknown) => e);
      expect(isError(overCallerLimit, ErrResponseTooLarge)).toBe(true);
    });

    it('times out, reports remote failures and unknown protocols with coded errors', async () => {
      const slow = await b.host.request(a.host.peerId, '/guts/test/slow/1', new Uint8Array(1), { timeoutMs: 300 }).catch((e: unknown) => e);
      expect(isError(slow, ErrRequestTimeout)).toBe(true);
      const failed = await b.host.request(a.host.peerId, '/guts/test/fails/1', new Uint8Array(1)).catch((e: unknown) => e);
      expect(isError(failed, ErrRemoteHandler)).toBe(true);
      expect((failed as Error).message).toContain('no such block');
      const unknown = await b.host.request(a.host.peerId, '/guts/test/none/1', new Uint8Array(1)).catch((e: unknown) => e);
      expect(isError(unknown, ErrPeerUnreachable)).toBe(true);
    });
  });

  it('reportPeer: a connected peer reported invalid four times is banned and hung up on; unknown ids are ignored', async () => {
    const x = await attacker();
    await x.open(a.host.addresses()[0]);
    const stranger = (await attacker()).peerId; // never connected to a
    for (const id of [stranger, 'not-a-peer-id', a.host.peerId]) for (let i = 0; i < 5; i++) a.host.reportPeer(id, 'invalid', 'test');
    for (const id of [stranger, 'not-a-peer-id', a.host.peerId]) expect(gossipNode(a.host).scores.score(id, Date.now())).toBe(0);
    expect(banned(stranger)).toBe(false);
    a.host.reportPeer(x.peerId, 'minor', 'late answer');
    expect(gossipNode(a.host).scores.score(x.peerId, Date.now())).toBeLessThan(0);
    for (let i = 0; i < 3; i++) a.host.reportPeer(x.peerId, 'invalid', 'bad commit');
    expect(banned(x.peerId)).toBe(false);
    a.host.reportPeer(x.peerId, 'invalid', 'bad commit');
    expect(banned(x.peerId)).toBe(true);
    await waitFor('the reported peer hung up on', () => x.node.getConnections().length === 0);
  });

  it('a host that is not started refuses to broadcast with a coded error', async () => {
    const h = await createP2PHost({ chainId: CHAIN_ID, privateKey: nodeKey(), config: p2pConfig(0), db: a.db, logger: silentLogger });
    let err: unknown;
    try {
      h.broadcast(txBody('x'));
    } catch (e) {
      err = e;
    }
    expect(isError(err, ErrHostNotStarted)).toBe(true);
  });
});
