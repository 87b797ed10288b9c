/**
 * Types shared by the sans-IO cores (HyParView, Plumtree) and their drivers (the
 * simulator here, the libp2p adapter later). Nothing in `app/p2p` outside `sim/` reads
 * a clock or opens a socket: time comes in as `now` (milliseconds, any epoch, never
 * decreasing) and I/O goes out as effects.
 */

/** A peer's identity as the transport names it (a libp2p peer id string in the adapter). */
export type PeerId = string;

/** What a peer advertises about itself: its id and the addresses it can be dialed on. */
export interface PeerInfo {
  readonly id: PeerId;
  /** Multiaddrs (`/ip4/1.2.3.4/tcp/9000`) or bare IPv4 strings; at most `MAX_PEER_ADDRS`. */
  readonly addrs: readonly string[];
}

/** The most addresses a peer may advertise in one descriptor (bounded on the wire too). */
export const MAX_PEER_ADDRS = 8;

/**
 * "Call `tick(at)` at or after `at`": replaces any earlier schedule effect from the same
 * core. A core that is ticked early does nothing and schedules again, so a driver may
 * keep a single timer per core.
 */
export interface ScheduleEffect {
  readonly type: 'schedule';
  readonly at: number;
}
