/**
 * The serving side: answer a peer's BlockRequest from the block store. Consecutive
 * heights from `fromHeight`, packed into BlockResponses under the message size limit,
 * and a NoBlockResponse at the first height the store lacks (below its base or above
 * its height), after which nothing more is sent for that request.
 */
import { Commit } from 'cosmjs-types/tendermint/types/types';
import type { BlockStore } from '../types.js';
import { encodeBlock } from '../encoding/block.js';
import { DEFAULT_LIMITS, type BlockSyncLimits, type BlockSyncMessage, type SyncedBlock } from './messages.js';

export type BlockSource = Pick<BlockStore, 'base' | 'height' | 'loadBlock' | 'loadCommit'>;

/** The status this node announces (StatusResponse). */
export function statusOf(source: BlockSource): BlockSyncMessage {
  return { type: 'statusResponse', height: BigInt(source.height()), base: BigInt(source.base()) };
}

export async function answerBlockRequest(
  request: { fromHeight: bigint; count: number },
  source: BlockSource,
  limits: BlockSyncLimits = DEFAULT_LIMITS,
): Promise<BlockSyncMessage[]> {
  const out: BlockSyncMessage[] = [];
  let batch: SyncedBlock[] = [];
  let batchBytes = 0;
  const count = Math.min(request.count, limits.maxBlocksPerRequest);
  for (let i = 0; i < count; i++) {
    const height = request.fromHeight + BigInt(i);
    const inRange = height >= BigInt(Math.max(source.base(), 1)) && height <= BigInt(source.height());
    const stored = inRange ? await source.loadBlock(Number(height)) : undefined;
    const commit = stored ? await source.loadCommit(Number(height)) : undefined;
    if (!stored || !commit) {
      if (batch.length) out.push({ type: 'blockResponse', blocks: batch });
      out.push({ type: 'noBlockResponse', height });
      return out;
    }
    const block = encodeBlock(stored.block);
    const size = block.length + Commit.encode(commit).finish().length + 32;
    if (batch.length && batchBytes + size > limits.maxMessageBytes) {
      out.push({ type: 'blockResponse', blocks: batch });
      batch = [];
      batchBytes = 0;
    }
    batch.push({ block, commit });
    batchBytes += size;
  }
  if (batch.length) out.push({ type: 'blockResponse', blocks: batch });
  return out;
}
