export { Simulator, type BroadcastRecord, type SimBehaviour, type SimConfig, type SimGossipConfig, type SimNode } from './simulator.js';
export { SimNetwork, NETWORK_DEFAULTS, type NetworkConfig } from './network.js';
export { REGIONS, DEFAULT_LATENCY, regionOf, type LatencyMatrix, type Region } from './regions.js';
export { growOverlay, broadcastPhase, crashFraction, type PhaseOptions, type PhaseReport } from './phases.js';
export { runStandard, type StandardOptions, type StandardReport } from './scenarios.js';
export { percentile, summarize, type SpreadOutcome, type SpreadSummary } from './metrics.js';
export { runEclipse, type EclipseOptions, type EclipseReport } from './scenario-eclipse.js';
export { runPartition, runChurn, type PartitionOptions, type PartitionReport, type ChurnOptions, type ChurnReport } from './scenario-partition.js';
export { Sybil } from './attacker.js';
