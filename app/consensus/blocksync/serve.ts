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

export type BlockSource = Pick<BlockStore, 'base' | 'height' | 'loadBlock' | 'loadCommit'> & {
  /** The stored block bytes, when the store keeps them: served as they are instead of decoded and encoded again. */
  loadBlockBytes?(height: number): Promise<Uint8Array | undefined>;
};

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
    const block = !inRange ? undefined : source.loadBlockBytes ? await source.loadBlockBytes(Number(height)) : await encodedBlock(source, Number(height));
    const commit = block ? await source.loadCommit(Number(height)) : undefined;
    if (!block || !commit) {
      if (batch.length) out.push({ type: 'blockResponse', blocks: batch });
      out.push({ type: 'noBlockResponse', height });
      return out;
    }
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

async function encodedBlock(source: BlockSource, height: number): Promise<Uint8Array | undefined> {
  const stored = await source.loadBlock(height);
  return stored ? encodeBlock(stored.block) : undefined;
}
