/** Figures reported by the simulator: percentiles and per-broadcast outcomes. */

/** Nearest-rank percentile of `values` (p in [0, 100]); NaN for an empty list. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * s.length));
  return s[Math.min(s.length, rank) - 1];
}

export const round1 = (x: number): number => (Number.isFinite(x) ? Math.round(x * 10) / 10 : x);
export const round3 = (x: number): number => (Number.isFinite(x) ? Math.round(x * 1000) / 1000 : x);

/** Outcome of one broadcast under one protocol. */
export interface SpreadOutcome {
  /** Live nodes (besides the origin) that should get it. */
  eligible: number;
  delivered: number;
  /** ms until the last eligible node had it; Infinity if some never did. */
  timeToAll: number;
  /** Delivery latencies (ms) of the eligible nodes that got it. */
  latencies: number[];
  /** Copies received, duplicates included. */
  receptions: number;
  /** Paper's RMR: receptions / (nodes that delivered − 1) − 1, origin counted among them. */
  rmr: number;
}

export interface SpreadSummary {
  broadcasts: number;
  delivery_ratio: number;
  /** Broadcasts that reached every eligible node. */
  reached_all: number;
  time_to_all_ms: { p50: number | null; p99: number | null; max: number | null };
  latency_ms: { p50: number; p99: number };
  rmr: number;
  /** Payload copies received per node per broadcast. */
  payloads_per_node: number;
}

export function summarize(outcomes: readonly SpreadOutcome[], liveNodes: number): SpreadSummary {
  const eligible = outcomes.reduce((s, o) => s + o.eligible, 0);
  const delivered = outcomes.reduce((s, o) => s + o.delivered, 0);
  const tta = outcomes.map((o) => o.timeToAll);
  const finite = tta.filter(Number.isFinite);
  const allReached = finite.length === tta.length;
  const lat = outcomes.flatMap((o) => o.latencies);
  const receptions = outcomes.reduce((s, o) => s + o.receptions, 0);
  const fmt = (p: number): number | null => {
    const v = percentile(tta, p);
    return Number.isFinite(v) ? round1(v) : null; // null: that share of broadcasts never reached everyone
  };
  return {
    broadcasts: outcomes.length,
    delivery_ratio: eligible === 0 ? 1 : round3(delivered / eligible),
    reached_all: finite.length,
    time_to_all_ms: { p50: fmt(50), p99: fmt(99), max: allReached && tta.length > 0 ? round1(Math.max(...tta)) : null },
    latency_ms: { p50: round1(percentile(lat, 50)), p99: round1(percentile(lat, 99)) },
    rmr: round3(outcomes.length === 0 ? 0 : outcomes.reduce((s, o) => s + o.rmr, 0) / outcomes.length),
    payloads_per_node: round3(outcomes.length === 0 ? 0 : receptions / outcomes.length / Math.max(1, liveNodes)),
  };
}
