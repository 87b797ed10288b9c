/**
 * An in-memory network of consensus transports for tests: every broadcast reaches every
 * other attached member on a later macrotask (so no handler runs inside the sender's
 * call), commit requests are answered by the named member. Members can be cut off and
 * reconnected, deliveries made lossy; taps see every broadcast and reports, and `inject` delivers crafted
 * bytes as if a peer had sent them.
 */
import type { ConsensusTransport, PeerId, TransportHandlers } from './transport.js';

export interface MemoryReport {
  reporter: PeerId;
  peer: PeerId;
  reason: string;
  detail: string;
}

export interface MemoryNetwork {
  /** The transport of member `id` (created on first use). */
  transport(id: PeerId): ConsensusTransport;
  /** Drop deliveries for which `lost(from, to, bytes)` is true (undefined: lose nothing). */
  setLoss(lost: ((from: PeerId, to: PeerId, bytes: Uint8Array) => boolean) | undefined): void;
  /** Cut a member off (it neither sends nor receives) or reconnect it. */
  setConnected(id: PeerId, connected: boolean): void;
  /** Deliver `bytes` to `to` (default: every attached member but `from`) as if `from` sent them. */
  inject(from: PeerId, bytes: Uint8Array, to?: PeerId[]): void;
  /** See every broadcast (before delivery). Returns an unsubscribe function. */
  tap(listener: (from: PeerId, bytes: Uint8Array) => void): () => void;
  readonly reports: MemoryReport[];
  /** Every commit request made: who asked whom for which height. */
  readonly commitRequests: Array<{ from: PeerId; to: PeerId; height: bigint }>;
}

export function createMemoryNetwork(): MemoryNetwork {
  const handlers = new Map<PeerId, TransportHandlers>();
  const disconnected = new Set<PeerId>();
  let lost: ((from: PeerId, to: PeerId, bytes: Uint8Array) => boolean) | undefined;
  const taps = new Set<(from: PeerId, bytes: Uint8Array) => void>();
  const transports = new Map<PeerId, ConsensusTransport>();
  const reports: MemoryReport[] = [];
  const commitRequests: Array<{ from: PeerId; to: PeerId; height: bigint }> = [];

  const reachable = (id: PeerId) => handlers.has(id) && !disconnected.has(id);

  function deliver(from: PeerId, bytes: Uint8Array, to: PeerId[]): void {
    const run = () => {
      for (const id of to) {
        if (id === from || !reachable(id) || lost?.(from, id, bytes)) continue;
        try {
          handlers.get(id)!.message(from, bytes);
        } catch {
          // a member's failure must not stop delivery to the others
        }
      }
    };
    setImmediate(run);
  }

  function make(id: PeerId): ConsensusTransport {
    return {
      attach(h) {
        handlers.set(id, h);
        return () => {
          if (handlers.get(id) === h) handlers.delete(id);
        };
      },
      broadcast(bytes) {
        if (!reachable(id)) return;
        for (const t of taps) t(id, bytes);
        deliver(id, bytes, [...handlers.keys()]);
      },
      async requestCommit(peer, height) {
        if (!reachable(id) || !reachable(peer) || peer === id) return undefined;
        commitRequests.push({ from: id, to: peer, height });
        await new Promise((r) => setImmediate(r));
        const h = handlers.get(peer);
        return h ? h.commitRequest(id, height) : undefined;
      },
      report(peer, reason, detail) {
        reports.push({ reporter: id, peer, reason, detail });
      },
    };
  }

  return {
    transport(id) {
      let t = transports.get(id);
      if (!t) transports.set(id, (t = make(id)));
      return t;
    },
    setLoss(fn) {
      lost = fn;
    },
    setConnected(id, connected) {
      if (connected) disconnected.delete(id);
      else disconnected.add(id);
    },
    inject(from, bytes, to) {
      deliver(from, bytes, to ?? [...handlers.keys()]);
    },
    tap(listener) {
      taps.add(listener);
      return () => taps.delete(listener);
    },
    reports,
    commitRequests,
  };
}
