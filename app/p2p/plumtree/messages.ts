/**
 * Plumtree protocol messages (paper Algorithm 1–2) and the effects of the core. Ids are
 * hex in the core and 32 raw bytes on the wire (`proto/guts/p2p/v1/gossip.proto`).
 */
import type { Offence } from '../eclipse/scores.js';
import type { PeerId, ScheduleEffect } from '../types.js';
import type { MessageId } from './message-id.js';

export interface MessageRef {
  readonly id: MessageId;
  /** Hops from the origin (the paper's `round`). */
  readonly round: number;
}

export type PlumtreeMessage =
  /** Eager push of a payload. `direct`: sent by the origin to a priority peer outside the tree. */
  | { readonly type: 'gossip'; readonly payload: Uint8Array; readonly round: number; readonly direct?: boolean }
  /** Lazy push: "I have these" (batched). */
  | { readonly type: 'ihave'; readonly entries: readonly MessageRef[] }
  /** Make this link eager, and send these messages; empty = only the link (§3.8). */
  | { readonly type: 'graft'; readonly entries: readonly MessageRef[] }
  /** Make this link lazy: the receiver got a duplicate over it. */
  | { readonly type: 'prune' };

export type ValidationResult =
  /** Deliver and forward. */
  | 'accept'
  /** Invalid: not delivered, not forwarded, the sender is penalised. */
  | 'reject'
  /** Not delivered nor forwarded, no penalty (e.g. stale but honest). */
  | 'ignore'
  /** Asynchronous: the driver calls `validationResult(id, result)` later. */
  | 'defer';

/** Pure: everything it needs comes in, `now` included (the replay window of the envelope validator). */
export type Validator = (payload: Uint8Array, from: PeerId, id: MessageId, now: number) => ValidationResult;

export type PlumtreeEffect =
  | { readonly type: 'send'; readonly to: PeerId; readonly message: PlumtreeMessage }
  /** A new valid message for the application (never for this node's own broadcasts). */
  | { readonly type: 'deliver'; readonly id: MessageId; readonly payload: Uint8Array; readonly from: PeerId; readonly round: number }
  | { readonly type: 'penalize'; readonly peer: PeerId; readonly offence: Offence }
  | ScheduleEffect;
