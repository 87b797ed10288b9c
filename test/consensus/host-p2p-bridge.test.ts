/**
 * The consensus side of the p2p bridge (app/node/p2p-bridge.ts) over a recording stand-in
 * for the libp2p host: which misbehaviour reports reach the peer scores and with what
 * severity, the gossip check the host runs before delivering and forwarding, and the
 * push of checkpoint signatures to every connected peer. That Plumtree forwards what a
 * node delivers to peers the signer is not linked to, and repairs a missed message with
 * IHAVE/GRAFT, is pinned by test/p2p/plumtree.test.ts and host-overlay.test.ts.
 */
import { SignedMsgType, type Vote } from 'cosmjs-types/tendermint/types/types';
import type { ValidatorSet } from 'cosmjs-types/tendermint/types/validator';
import { describe, expect, it } from 'vitest';
import { voteSignBytes } from '../../app/consensus/encoding/canonical.js';
import { timestampFromMs } from '../../app/consensus/encoding/time.js';
import { ed25519KeyFromSeed } from '../../app/consensus/engine/crypto.js';
import { decodeWire, encodeWire, type TransportHandlers } from '../../app/consensus/host/index.js';
import type { GutsMempool } from '../../app/consensus/mempool.js';
import { addressFromEd25519 } from '../../app/consensus/validators.js';
import { CHECKPOINT_SIGNATURE_PROTOCOL, createP2PBridge, envelopeOf, reportSeverity } from '../../app/node/p2p-bridge.js';
import type { P2PHost } from '../../app/p2p/host/types.js';
import type { EnvelopeBody } from '../../app/p2p/messages/envelope.js';

const CHAIN = 'bridge-test-1';
const key = ed25519KeyFromSeed(new Uint8Array(32).fill(9));
const address = addressFromEd25519(key.pubKey);
const set: ValidatorSet = { validators: [{ address, pubKey: { ed25519: key.pubKey }, votingPower: 10n, proposerPriority: 0n }], proposer: undefined, totalVotingPower: 10n };

function vote(height = 5n): Vote {
  const v: Vote = {
    type: SignedMsgType.SIGNED_MSG_TYPE_PREVOTE,
    height,
    round: 0,
    blockId: { hash: new Uint8Array(0), partSetHeader: { total: 0, hash: new Uint8Array(0) } },
    timestamp: timestampFromMs(1_700_000_000_000),
    validatorAddress: address,
    validatorIndex: 0,
    signature: new Uint8Array(64),
    extension: new Uint8Array(0),
    extensionSignature: new Uint8Array(0),
  };
  return { ...v, signature: key.sign(voteSignBytes(CHAIN, v)) };
}

/** The parts of P2PHost the bridge uses, recording what it is asked to do. */
function recordingHost() {
  const rec = {
    reports: [] as Array<{ peer: string; severity: string; reason: string }>,
    requests: [] as Array<{ peer: string; protocol: string; body: Uint8Array }>,
    handlers: new Map<string, (req: Uint8Array, from: string) => Promise<Uint8Array>>(),
    heard: 0,
  };
  const host = {
    onDeliver: () => () => undefined,
    broadcast: () => undefined,
    handle: (protocol: string, h: (req: Uint8Array, from: string) => Promise<Uint8Array>) => void rec.handlers.set(protocol, h),
    request: async (peer: string, protocol: string, body: Uint8Array) => (rec.requests.push({ peer, protocol, body }), new Uint8Array()),
    peers: () => [{ id: 'pA', addrs: [], direction: 'outbound', gossip: 'active' }, { id: 'pB', addrs: [], direction: 'inbound', gossip: 'passive' }],
    reportPeer: (peer: string, severity: string, reason: string) => void rec.reports.push({ peer, severity, reason }),
    setValidators: () => undefined,
    heardFromValidator: () => void rec.heard++,
  } as unknown as P2PHost;
  return { host, rec };
}

const mempool = { add: async () => undefined, onTx: () => () => undefined } as unknown as GutsMempool;
const logger = { debug: () => undefined, warn: () => undefined };

describe('p2p bridge: consensus reports, gossip check, checkpoint pushes', () => {
  it('reports only faults the delivering peer answers for; gossip shape faults only once the host runs the gossip check', () => {
    const { host, rec } = recordingHost();
    const bridge = createP2PBridge({ host, chainId: CHAIN, mempool, logger });
    const t = bridge.transport;
    t.report('p1', 'invalid-commit', 'commit carries 3 of 10');
    t.report('p1', 'malformed', 'vote round -1');
    t.report('p1', 'invalid-signature', 'relayed from someone');
    t.report('p1', 'future-flood', 'a node behind sees every honest peer ahead');
    expect(rec.reports.map((r) => `${r.peer}/${r.severity}`)).toEqual(['p1/invalid']);
    bridge.validate({ type: 'tx', tx: new Uint8Array([1]) }, 'p2'); // the host now checks gossip before forwarding
    t.report('p2', 'malformed', 'vote round -1');
    t.report('p2', 'invalid-signature', 'still depends on the set the relay knew');
    expect(rec.reports.map((r) => `${r.peer}/${r.severity}`)).toEqual(['p1/invalid', 'p2/invalid']);
    expect(reportSeverity('block-mismatch', true)).toBe('invalid');
    expect(reportSeverity('unknown-validator', true)).toBeUndefined();
  });

  it('rejects votes that fail the shape checks or a known validator\'s signature, before they are delivered or forwarded', () => {
    const { host, rec } = recordingHost();
    const bridge = createP2PBridge({ host, chainId: CHAIN, mempool, logger });
    bridge.setValidators(set);
    const body = (v: Vote) => envelopeOf(encodeWire({ type: 'vote', vote: v }))! as EnvelopeBody;
    expect(bridge.validate(body(vote()), 'p')).toBe('accept');
    expect(rec.heard).toBe(1);
    expect(bridge.validate(body({ ...vote(), signature: vote(6n).signature }), 'p')).toBe('reject');
    expect(bridge.validate(body({ ...vote(), round: -1 }), 'p')).toBe('reject');
    expect(bridge.validate({ type: 'vote', height: 5n, round: 0, vote: new Uint8Array([0xff, 0xff]) }, 'p')).toBe('reject');
    expect(bridge.validate({ ...(body(vote()) as Extract<EnvelopeBody, { type: 'vote' }>), height: 7n }, 'p')).toBe('reject'); // envelope and vote disagree
    const stranger = { ...vote(), validatorAddress: new Uint8Array(20).fill(1) };
    expect(bridge.validate(body(stranger), 'p')).toBe('accept'); // not in the set we know: the engine judges it at its height
  });

  it('pushes a checkpoint signature to every connected peer and hands a pushed one to consensus', async () => {
    const { host, rec } = recordingHost();
    const bridge = createP2PBridge({ host, chainId: CHAIN, mempool, logger });
    const got: Array<{ from: string; bytes: Uint8Array }> = [];
    const handlers: TransportHandlers = { message: (from, bytes) => void got.push({ from, bytes }), commitRequest: async () => undefined };
    bridge.transport.attach(handlers);
    const msg = { type: 'checkpointSignature' as const, height: 8n, validatorAddress: address, signature: new Uint8Array(64).fill(3) };
    bridge.transport.broadcast(encodeWire(msg));
    expect(rec.requests.map((r) => `${r.peer} ${r.protocol}`)).toEqual([`pA ${CHECKPOINT_SIGNATURE_PROTOCOL}`, `pB ${CHECKPOINT_SIGNATURE_PROTOCOL}`]);
    await rec.handlers.get(CHECKPOINT_SIGNATURE_PROTOCOL)!(rec.requests[0]!.body, 'pC');
    expect(got).toHaveLength(1);
    expect(got[0]!.from).toBe('pC');
    expect(decodeWire(got[0]!.bytes)).toEqual(msg);
  });
});
