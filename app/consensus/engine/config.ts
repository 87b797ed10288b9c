/**
 * Engine defaults and the round-dependent timeouts. Timeouts grow linearly with the
 * round so that after GST they eventually exceed the message delay (paper §4, "timeouts
 * increase with the round"; CometBFT config.ConsensusConfig Propose/Prevote/Precommit).
 */
import type { EngineConfig, Step } from './types.js';
import { EngineError } from './types.js';

export const DEFAULT_ENGINE_CONFIG: Readonly<EngineConfig> = Object.freeze({
  timeoutPropose: 3000,
  timeoutProposeDelta: 500,
  timeoutPrevote: 1000,
  timeoutPrevoteDelta: 500,
  timeoutPrecommit: 1000,
  timeoutPrecommitDelta: 500,
  timeoutCommit: 1000,
  maxBlockBytes: 104_857_600,
  roundWindow: 16,
  nextHeightBufferPerPeer: 64,
  futureMessagesPerPeer: 256,
  maxTrackedPeers: 1024,
});

export function engineConfig(overrides: Partial<EngineConfig> = {}): EngineConfig {
  const cfg = { ...DEFAULT_ENGINE_CONFIG, ...overrides };
  for (const [k, v] of Object.entries(cfg)) {
    if (!Number.isSafeInteger(v) || v < 0) throw new EngineError(`engine config ${k} must be a non-negative integer, got ${v}`);
  }
  if (cfg.maxBlockBytes === 0) throw new EngineError('engine config maxBlockBytes must be positive');
  return cfg;
}

/** timeoutPropose(r), timeoutPrevote(r), timeoutPrecommit(r) of the paper; the commit wait does not grow. */
export function timeoutFor(cfg: EngineConfig, step: Step, round: number): number {
  switch (step) {
    case 'propose':
      return cfg.timeoutPropose + cfg.timeoutProposeDelta * round;
    case 'prevote':
      return cfg.timeoutPrevote + cfg.timeoutPrevoteDelta * round;
    case 'precommit':
      return cfg.timeoutPrecommit + cfg.timeoutPrecommitDelta * round;
    case 'commit':
      return cfg.timeoutCommit;
  }
}
