/**
 * How the node's parts meet the peer layer (app/p2p/host):
 *
 * - consensus messages (codec of app/consensus/host) travel as gossip envelopes:
 *   proposals as `BlockProposal`, votes as `Vote`, duplicate-vote evidence as a
 *   `ConsensusMessage` of type DUPLICATE_VOTE_EVIDENCE; all pushed directly to the
 *   validators' peers too (`direct`). Commit requests (a node catching up) use the
 *   request/response protocol `/guts/consensus/commit/1.0.0`.
 * - mempool txs admitted from RPC are gossiped as `Tx`; txs from gossip go through
 *   CheckTx like any other (and are not gossiped again by this node: Plumtree forwards).
 * - verified votes tell the partition detector that their validator was heard.
 */
import { Proposal, Vote } from 'cosmjs-types/tendermint/types/types';
import { DuplicateVoteEvidence } from 'cosmjs-types/tendermint/types/evidence';
import type { ValidatorSet } from 'cosmjs-types/tendermint/types/validator';
import { voteSignBytes } from '../consensus/encoding/canonical.js';
import { encodeWire, decodeWire, WireError, type ConsensusTransport, type TransportHandlers } from '../consensus/host/index.js';
import type { GutsMempool } from '../consensus/mempool.js';
import { createEd25519Verifier } from '../consensus/engine/crypto.js';
import { ConsensusMessageType, type EnvelopeBody } from '../p2p/messages/envelope.js';
import type { P2PHost, ValidatorEntry, Verdict } from '../p2p/host/types.js';

export const COMMIT_PROTOCOL = '/guts/consensus/commit/1.0.0';
/** A commit response holds one block (≤ 100 MiB by consensus params, far less in practice) and its commit. */
const MAX_COMMIT_RESPONSE = 24 * 1024 * 1024;
const COMMIT_REQUEST_TIMEOUT_MS = 5_000;
/** Tx hashes received by gossip, remembered so this node does not gossip them again. */
const GOSSIPED_TX_MEMORY = 20_000;

interface BridgeLogger {
  debug(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

/** Validator entries for the peer layer (partition detector, priority peers) from a consensus validator set. */
export function validatorEntries(set: ValidatorSet): ValidatorEntry[] {
  return set.validators.map((v) => ({ address: v.address, pubKey: v.pubKey!.ed25519!, power: v.votingPower }));
}

function heightBytes(h: bigint): Uint8Array {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, h);
  return b;
}

/** The envelope body a consensus wire message travels in. */
export function envelopeOf(bytes: Uint8Array): EnvelopeBody {
  const m = decodeWire(bytes);
  switch (m.type) {
    case 'proposal':
      return { type: 'blockProposal', height: m.proposal.height, round: m.proposal.round, proposal: Proposal.encode(m.proposal).finish(), block: m.block };
    case 'vote':
      return { type: 'vote', height: m.vote.height, round: m.vote.round, vote: bytes.subarray(1) };
    case 'evidence': {
      const a = m.evidence.voteA;
      if (!a) throw new WireError('evidence without vote A');
      return { type: 'consensusMessage', height: a.height, round: a.round, messageType: ConsensusMessageType.DUPLICATE_VOTE_EVIDENCE, payload: bytes.subarray(1), signature: a.signature };
    }
  }
}

/** The consensus wire bytes inside an envelope body, or undefined for bodies that are not consensus traffic. */
export function wireOf(body: EnvelopeBody): Uint8Array | undefined {
  switch (body.type) {
    case 'blockProposal':
      return encodeWire({ type: 'proposal', proposal: Proposal.decode(body.proposal), block: body.block });
    case 'vote':
      return encodeWire({ type: 'vote', vote: Vote.decode(body.vote) });
    case 'consensusMessage':
      if (body.messageType !== ConsensusMessageType.DUPLICATE_VOTE_EVIDENCE) return undefined;
      return encodeWire({ type: 'evidence', evidence: DuplicateVoteEvidence.decode(body.payload) });
    default:
      return undefined;
  }
}

export interface P2PBridge {
  /** The consensus host's transport. */
  transport: ConsensusTransport;
  /** Tell the peer layer the validator set of the height being decided (partition detector, vote checks). */
  setValidators(set: ValidatorSet): void;
  close(): void;
}

export function createP2PBridge(opts: { host: P2PHost; chainId: string; mempool: GutsMempool; logger: BridgeLogger }): P2PBridge {
  const { host, chainId, mempool, logger: log } = opts;
  let handlers: TransportHandlers | undefined;
  let byAddress = new Map<string, Uint8Array>();
  const fromGossip = new Set<string>();
  const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
  const verify = createEd25519Verifier();

  const heardIfSigned = (voteBytes: Uint8Array) => {
    try {
      const vote = Vote.decode(voteBytes);
      const pub = byAddress.get(hex(vote.validatorAddress));
      if (pub && verify(pub, voteSignBytes(chainId, vote), vote.signature)) host.heardFromValidator(vote.validatorAddress);
    } catch {
      // the engine reports undecodable votes; here it only does not count
    }
  };

  const offDeliver = host.onDeliver((env, from) => {
    const body = env.body;
    if (body.type === 'tx') {
      const key = hex(body.tx.subarray(0, Math.min(body.tx.length, 64))) + body.tx.length;
      if (fromGossip.size >= GOSSIPED_TX_MEMORY) fromGossip.clear();
      fromGossip.add(key);
      mempool.add(body.tx).catch((err: Error) => log.debug({ err: err.message, from }, 'gossiped tx refused'));
      return;
    }
    if (body.type === 'vote') heardIfSigned(body.vote);
    if (!handlers) return;
    let wire: Uint8Array | undefined;
    try {
      wire = wireOf(body);
    } catch (err) {
      log.debug({ err: (err as Error).message, from }, 'undecodable consensus envelope');
      return;
    }
    if (wire) handlers.message(from, wire);
  });

  const offTx = mempool.onTx((t) => {
    const key = hex(t.tx.subarray(0, Math.min(t.tx.length, 64))) + t.tx.length;
    if (fromGossip.delete(key)) return;
    host.broadcast({ type: 'tx', tx: t.tx });
  });

  host.handle(
    COMMIT_PROTOCOL,
    async (req, from) => {
      if (req.length !== 8 || !handlers) return new Uint8Array();
      const height = new DataView(req.buffer, req.byteOffset, 8).getBigUint64(0);
      return (await handlers.commitRequest(from, height)) ?? new Uint8Array();
    },
    { maxRequestBytes: 8, maxResponseBytes: MAX_COMMIT_RESPONSE },
  );

  const transport: ConsensusTransport = {
    attach(h) {
      handlers = h;
      return () => {
        if (handlers === h) handlers = undefined;
      };
    },
    broadcast(bytes) {
      try {
        host.broadcast(envelopeOf(bytes), { direct: true });
      } catch (err) {
        log.warn({ err: (err as Error).message }, 'consensus message not broadcast');
      }
    },
    async requestCommit(peer, height) {
      try {
        const res = await host.request(peer, COMMIT_PROTOCOL, heightBytes(height), { timeoutMs: COMMIT_REQUEST_TIMEOUT_MS, maxResponseBytes: MAX_COMMIT_RESPONSE });
        return res.length === 0 ? undefined : res;
      } catch (err) {
        log.debug({ err: (err as Error).message, peer, height: height.toString() }, 'commit request failed');
        return undefined;
      }
    },
    report(peer, reason, detail) {
      log.warn({ peer, reason, detail }, 'peer misbehaved in consensus');
    },
  };

  return {
    transport,
    setValidators(set) {
      const entries = validatorEntries(set);
      byAddress = new Map(entries.map((e) => [hex(e.address), e.pubKey]));
      host.setValidators(entries);
    },
    close() {
      offDeliver();
      offTx();
    },
  };
}
