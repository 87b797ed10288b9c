/**
 * What the consensus host needs from the peer layer, kept small and byte-oriented so
 * any transport (in-memory for tests, libp2p for nodes) can carry it. Messages are the
 * bytes of `codec.ts` (`encodeWire`): proposals with their whole block, votes and
 * evidence. Delivery may be lossy or reordered: the engine tolerates it, and the host
 * re-broadcasts its own messages of a round that is not moving.
 */
import type { PeerId } from '../engine/types.js';

export type { PeerId } from '../engine/types.js';

/** Why a peer is reported: the engine's MisbehaviourReason, or `undecodable` / `invalid-evidence` / `invalid-commit-response` from the host. */
export type PeerReportReason = string;

export interface TransportHandlers {
  /** A message (codec.ts bytes) from `from`. */
  message(from: PeerId, bytes: Uint8Array): void;
  /**
   * A peer asks for our decided block and commit at `height`: resolve with
   * `encodeCommitResponse` bytes, or undefined when we do not have it.
   */
  commitRequest(from: PeerId, height: bigint): Promise<Uint8Array | undefined>;
}

export interface ConsensusTransport {
  /** Start delivering to `handlers`; returns a function that stops it. One host attaches at a time. */
  attach(handlers: TransportHandlers): () => void;
  /** Send to every connected peer (best effort). */
  broadcast(bytes: Uint8Array): void;
  /** Ask `peer` for its decided block and commit at `height`; undefined when it has none, is gone or times out. */
  requestCommit(peer: PeerId, height: bigint): Promise<Uint8Array | undefined>;
  /** `peer` sent something no honest peer sends: the peer layer scores or bans it. */
  report(peer: PeerId, reason: PeerReportReason, detail: string): void;
}
