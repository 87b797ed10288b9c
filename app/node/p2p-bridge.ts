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
 * - epoch checkpoint signatures are pushed to every connected peer over
 *   `/guts/consensus/checkpoint-sig/1.0.0` (they are not gossip envelopes); the
 *   consensus host relays the ones it verified and had not seen, so they spread hop by hop.
 * - verified votes tell the partition detector that their validator was heard.
 *
 * Votes and proposals of every validator spread by Plumtree: each node forwards what it
 * delivers (deduplicated by message id), so a validator's vote reaches validators it is
 * not linked to, and IHAVE/GRAFT repair recovers a proposal a node missed; a node that
 * still lacks the decided block fetches it with the commit request. `validate` is the
 * gossip check to give the host (`P2PHostInit.validate`): what fails the engine's own
 * shape checks or a known validator's signature is neither delivered nor forwarded.
 *
 * Reports (`report`): the peer layer scores the peer that *delivered* a message, which
 * for gossip may be an honest relay. So only faults the delivering peer is answerable
 * for are reported (REPORT_SEVERITY): answers it wrote itself (commit responses,
 * checkpoint pushes) and, once the host runs `validate`, shape faults no honest relay
 * forwards. The rest is logged.
 */
import { Proposal, Vote } from 'cosmjs-types/tendermint/types/types';
import { DEFAULT_ENGINE_CONFIG } from '../consensus/engine/config.js';
import { partSetMatches } from '../consensus/engine/ids.js';
import { proposalProblem, voteProblem } from '../consensus/engine/wellformed.js';
import { DuplicateVoteEvidence } from 'cosmjs-types/tendermint/types/evidence';
import type { ValidatorSet } from 'cosmjs-types/tendermint/types/validator';
import { voteSignBytes } from '../consensus/encoding/canonical.js';
import { encodeWire, decodeWire, WireError, TAG_CHECKPOINT_SIGNATURE, type ConsensusTransport, type TransportHandlers } from '../consensus/host/index.js';
import type { GutsMempool } from '../consensus/mempool.js';
import { createEd25519Verifier } from '../consensus/engine/crypto.js';
import { ConsensusMessageType, type EnvelopeBody } from '../p2p/messages/envelope.js';
import type { P2PHost, ValidatorEntry, Verdict } from '../p2p/host/types.js';

export const COMMIT_PROTOCOL = '/guts/consensus/commit/1.0.0';
/** Push of one checkpoint signature (codec tag 4 message); the answer is empty. */
export const CHECKPOINT_SIGNATURE_PROTOCOL = '/guts/consensus/checkpoint-sig/1.0.0';
/** A checkpoint signature message is ~100 bytes (height, address, signature). */
const MAX_CHECKPOINT_SIGNATURE_BYTES = 256;
const CHECKPOINT_PUSH_TIMEOUT_MS = 5_000;

/**
 * What a consensus report costs the delivering peer. Reasons left out (`invalid-signature`,
 * `unknown-validator`, `future-flood`, `invalid-evidence`) depend on the validator set
 * or chain height a relay knew, so an honest relay forwards them: they are only logged.
 * `gossipChecked` reasons count only while the host runs the bridge's `validate`.
 */
export const REPORT_SEVERITY: Readonly<Record<string, { severity: 'minor' | 'invalid'; gossipChecked?: boolean }>> = {
  'invalid-commit': { severity: 'invalid' },
  'invalid-commit-response': { severity: 'invalid' },
  'invalid-checkpoint-signature': { severity: 'invalid' },
  undecodable: { severity: 'invalid' },
  malformed: { severity: 'invalid', gossipChecked: true },
  oversized: { severity: 'invalid', gossipChecked: true },
  'block-mismatch': { severity: 'invalid', gossipChecked: true },
};
/** A commit response holds one block (≤ 100 MiB by consensus params, far less in practice) and its commit. */
const MAX_COMMIT_RESPONSE = 24 * 1024 * 1024;
const COMMIT_REQUEST_TIMEOUT_MS = 5_000;
/** Tx hashes received by gossip, remembered so this node does not gossip them again. */
const GOSSIPED_TX_MEMORY = 20_000;

interface BridgeLogger {
  debug(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

/** The severity to report `reason` with, or undefined to only log it. */
export function reportSeverity(reason: string, gossipChecked: boolean): 'minor' | 'invalid' | undefined {
  const r = REPORT_SEVERITY[reason];
  return r && (!r.gossipChecked || gossipChecked) ? r.severity : undefined;
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

/** The envelope body a consensus wire message travels in (undefined for checkpoint signatures, which are pushed, not gossiped). */
export function envelopeOf(bytes: Uint8Array): EnvelopeBody | undefined {
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
    case 'checkpointSignature':
      return undefined;
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
  /**
   * The gossip check for `P2PHostInit.validate`: votes, proposals and evidence that fail
   * the engine's shape checks, a vote with a bad signature from a validator of the current
   * set, a proposal whose block does not match its part-set header: 'reject' (not
   * delivered, not forwarded, the sender scored). Everything else: 'accept'.
   */
  validate(body: EnvelopeBody, from: string): Verdict;
  close(): void;
}

export function createP2PBridge(opts: { host: P2PHost; chainId: string; mempool: GutsMempool; logger: BridgeLogger }): P2PBridge {
  const { host, chainId, mempool, logger: log } = opts;
  let handlers: TransportHandlers | undefined;
  let byAddress = new Map<string, Uint8Array>();
  const fromGossip = new Set<string>();
  const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
  const verify = createEd25519Verifier();

  /** True once the host calls `validate`: gossip reaching us passed the shape checks at every honest hop. */
  let gossipChecked = false;

  const heardIfSigned = (voteBytes: Uint8Array) => {
    try {
      const vote = Vote.decode(voteBytes);
      const pub = byAddress.get(hex(vote.validatorAddress));
      if (pub && verify(pub, voteSignBytes(chainId, vote), vote.signature)) host.heardFromValidator(vote.validatorAddress);
    } catch {
      // the engine reports undecodable votes; here it only does not count
    }
  };

  function validateVote(bytes: Uint8Array, height: bigint, round: number): Verdict {
    const vote = Vote.decode(bytes);
    if (voteProblem(vote) || vote.height !== height || vote.round !== round) return 'reject';
    const pub = byAddress.get(hex(vote.validatorAddress));
    if (!pub) return 'accept'; // a validator of another height's set: the engine judges it
    if (!verify(pub, voteSignBytes(chainId, vote), vote.signature)) return 'reject';
    host.heardFromValidator(vote.validatorAddress);
    return 'accept';
  }

  function validateProposal(bytes: Uint8Array, block: Uint8Array, height: bigint, round: number): Verdict {
    const p = Proposal.decode(bytes);
    if (proposalProblem(p) || p.height !== height || p.round !== round) return 'reject';
    if (block.length > DEFAULT_ENGINE_CONFIG.maxBlockBytes || !partSetMatches(block, p.blockId)) return 'reject';
    return 'accept';
  }

  function validate(body: EnvelopeBody): Verdict {
    gossipChecked = true;
    try {
      switch (body.type) {
        case 'vote':
          return validateVote(body.vote, body.height, body.round);
        case 'blockProposal':
          return validateProposal(body.proposal, body.block, body.height, body.round);
        case 'consensusMessage':
          if (body.messageType === ConsensusMessageType.DUPLICATE_VOTE_EVIDENCE) DuplicateVoteEvidence.decode(body.payload);
          return 'accept';
        default:
          return 'accept';
      }
    } catch {
      return 'reject'; // undecodable
    }
  }

  function pushCheckpointSignature(bytes: Uint8Array): void {
    const body = bytes.subarray(1);
    for (const peer of host.peers()) {
      host.request(peer.id, CHECKPOINT_SIGNATURE_PROTOCOL, body, { timeoutMs: CHECKPOINT_PUSH_TIMEOUT_MS, maxResponseBytes: 1 }).catch((err: Error) =>
        log.debug({ err: err.message, peer: peer.id }, 'checkpoint signature push failed'),
      );
    }
  }

  const offDeliver = host.onDeliver((env, from) => {
    const body = env.body;
    if (body.type === 'tx') {
      const key = hex(body.tx.subarray(0, Math.min(body.tx.length, 64))) + body.tx.length;
      if (fromGossip.size >= GOSSIPED_TX_MEMORY) fromGossip.clear();
      fromGossip.add(key);
      mempool.add(body.tx).catch((err: Error) => log.debug({ err: err.message, from }, 'gossiped tx refused'));
      return;
    }
    if (body.type === 'vote' && !gossipChecked) heardIfSigned(body.vote); // validate() counted it already
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

  host.handle(
    CHECKPOINT_SIGNATURE_PROTOCOL,
    async (req, from) => {
      const wire = new Uint8Array(req.length + 1);
      wire[0] = TAG_CHECKPOINT_SIGNATURE;
      wire.set(req, 1);
      handlers?.message(from, wire); // the host decodes, verifies and relays it
      return new Uint8Array();
    },
    { maxRequestBytes: MAX_CHECKPOINT_SIGNATURE_BYTES, maxResponseBytes: 1 },
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
        const body = envelopeOf(bytes);
        if (body) host.broadcast(body, { direct: true });
        else pushCheckpointSignature(bytes);
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
      const severity = reportSeverity(reason, gossipChecked);
      log.warn({ peer, reason, detail, severity: severity ?? 'logged only' }, 'peer misbehaved in consensus');
      if (severity) host.reportPeer(peer, severity, `consensus ${reason}: ${detail}`);
    },
  };

  return {
    transport,
    setValidators(set) {
      const entries = validatorEntries(set);
      byAddress = new Map(entries.map((e) => [hex(e.address), e.pubKey]));
      host.setValidators(entries);
    },
    validate,
    close() {
      offDeliver();
      offTx();
    },
  };
}
