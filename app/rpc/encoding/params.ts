/** tendermint.types.ConsensusParams as CometBFT's `types.ConsensusParams` marshals it. */
import type { ConsensusParams } from 'cosmjs-types/tendermint/types/params';
import type { Duration } from 'cosmjs-types/google/protobuf/duration';
import { int64 } from './primitives.js';

/** Go's time.Duration marshals as its int64 nanosecond count. */
function durationNanos(d: Duration | undefined): string {
  if (d === undefined) return '0';
  return int64(d.seconds * 1_000_000_000n + BigInt(d.nanos));
}

export function consensusParamsJson(p: ConsensusParams): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (p.block) out.block = { max_bytes: int64(p.block.maxBytes), max_gas: int64(p.block.maxGas) };
  if (p.evidence) {
    out.evidence = {
      max_age_num_blocks: int64(p.evidence.maxAgeNumBlocks),
      max_age_duration: durationNanos(p.evidence.maxAgeDuration),
      max_bytes: int64(p.evidence.maxBytes),
    };
  }
  if (p.validator) out.validator = { pub_key_types: [...p.validator.pubKeyTypes] };
  if (p.version) out.version = { app: int64(p.version.app) };
  if (p.abci) out.abci = { vote_extensions_enable_height: int64(p.abci.voteExtensionsEnableHeight) };
  return out;
}
