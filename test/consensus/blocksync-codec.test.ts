import fc from 'fast-check';
import { Commit } from 'cosmjs-types/tendermint/types/types';
import protobuf from 'protobufjs/minimal.js';
import { describe, expect, it } from 'vitest';
import { buildSignedChain } from '../../app/consensus/blocksync/signed-chain.js';
import { BlockSyncDecodeError, ErrBlockSyncMessage } from '../../app/consensus/blocksync/errors.js';
import { DEFAULT_LIMITS, decodeBlockSyncMessage, encodeBlockSyncMessage, type BlockSyncMessage } from '../../app/consensus/blocksync/messages.js';
import { isError } from '../../app/errors.js';

const chain = buildSignedChain({ chainId: 'guts-codec', length: 3, keyCount: 3, validatorsAt: () => [0, 1, 2].map((key) => ({ key, power: 1n })) });

const reason = (bytes: Uint8Array, limits = DEFAULT_LIMITS) => {
  try {
    decodeBlockSyncMessage(bytes, limits);
  } catch (e) {
    expect(e).toBeInstanceOf(BlockSyncDecodeError);
    expect(isError(e, ErrBlockSyncMessage)).toBe(true);
    return (e as BlockSyncDecodeError).reason;
  }
  return 'accepted';
};

/** Raw envelope: field `field` holding `body`. */
function envelope(field: number, write: (w: protobuf.Writer) => void): Uint8Array {
  const w = protobuf.Writer.create();
  w.uint32((field << 3) | 2).fork();
  write(w);
  w.ldelim();
  return w.finish();
}

describe('blocksync wire messages', () => {
  const messages: BlockSyncMessage[] = [
    { type: 'statusRequest' },
    { type: 'statusResponse', height: 60n, base: 1n },
    { type: 'statusResponse', height: 0n, base: 0n },
    { type: 'blockRequest', fromHeight: 7n, count: 20 },
    { type: 'noBlockResponse', height: 9_007_199_254_740_993n },
    { type: 'blockResponse', blocks: chain.blocks.map((b) => ({ block: b.bytes, commit: b.commit })) },
  ];

  it('round-trips every message', () => {
    for (const m of messages) {
      const back = decodeBlockSyncMessage(encodeBlockSyncMessage(m));
      if (m.type === 'blockResponse' && back.type === 'blockResponse') {
        expect(back.blocks.map((b) => Buffer.from(b.block))).toEqual(m.blocks.map((b) => Buffer.from(b.block)));
        expect(back.blocks.map((b) => Commit.toJSON(b.commit))).toEqual(m.blocks.map((b) => Commit.toJSON(b.commit)));
      } else expect(back).toEqual(m);
    }
  });

  it('refuses requests outside the limits and statuses with base above height', () => {
    expect(reason(encodeBlockSyncMessage({ type: 'blockRequest', fromHeight: 1n, count: 21 }))).toBe('invalid_field');
    expect(reason(envelope(3, (w) => w.uint32(8).int64(5)))).toBe('missing_field');
    expect(reason(envelope(3, (w) => w.uint32(16).uint32(3)))).toBe('missing_field');
    expect(reason(envelope(3, (w) => w.uint32(8).int64(-5).uint32(16).uint32(3)))).toBe('invalid_field');
    expect(reason(encodeBlockSyncMessage({ type: 'statusResponse', height: 3n, base: 9n }))).toBe('invalid_field');
    expect(reason(envelope(2, (w) => w.uint32(8).int64(-1)))).toBe('invalid_field');
    expect(reason(envelope(5, () => undefined))).toBe('missing_field');
  });

  it('refuses oversized messages, blocks and commits, and too many blocks, before copying them', () => {
    const m = encodeBlockSyncMessage(messages[5]);
    expect(reason(m, { ...DEFAULT_LIMITS, maxMessageBytes: m.length - 1 })).toBe('too_large');
    expect(reason(m, { ...DEFAULT_LIMITS, maxBlockBytes: 100 })).toBe('too_large');
    expect(reason(m, { ...DEFAULT_LIMITS, maxCommitBytes: 50 })).toBe('too_large');
    expect(reason(m, { ...DEFAULT_LIMITS, maxBlocksPerRequest: 2 })).toBe('invalid_field');
  });

  it('refuses a block without commit, a commit that is not a commit, empty responses, unknown and doubled messages', () => {
    expect(reason(envelope(4, (w) => w.uint32(10).fork().uint32(10).bytes(chain.blocks[0].bytes).ldelim()))).toBe('missing_field');
    expect(reason(envelope(4, (w) => w.uint32(10).fork().uint32(10).bytes(chain.blocks[0].bytes).uint32(18).bytes(new Uint8Array([0xff, 0xff])).ldelim()))).toBe('malformed');
    expect(reason(envelope(4, (w) => w.uint32(10).fork().uint32(10).bytes(chain.blocks[0].bytes).uint32(18).bytes(new Uint8Array(0)).ldelim()))).toBe('invalid_field');
    expect(reason(envelope(4, () => undefined))).toBe('missing_field');
    expect(reason(envelope(9, () => undefined))).toBe('unknown_type');
    expect(reason(new Uint8Array(0))).toBe('unknown_type');
    const two = new Uint8Array([...encodeBlockSyncMessage(messages[0]), ...encodeBlockSyncMessage(messages[1])]);
    expect(reason(two)).toBe('malformed');
  });

  it('every truncation of a valid message is refused with a decode error', () => {
    const m = encodeBlockSyncMessage(messages[5]);
    for (const cut of [1, 2, 3, 10, 100, m.length - 1]) expect(reason(m.subarray(0, cut))).not.toBe('accepted');
  });

  it('random bytes never throw anything but a BlockSyncDecodeError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        try {
          decodeBlockSyncMessage(bytes);
        } catch (e) {
          expect(e).toBeInstanceOf(BlockSyncDecodeError);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('random mutations of a valid response decode or fail cleanly', () => {
    const m = encodeBlockSyncMessage(messages[5]);
    fc.assert(
      fc.property(fc.nat(m.length - 1), fc.integer({ min: 0, max: 255 }), (i, v) => {
        const x = Uint8Array.from(m);
        x[i] = v;
        try {
          decodeBlockSyncMessage(x);
        } catch (e) {
          expect(e).toBeInstanceOf(BlockSyncDecodeError);
        }
      }),
      { numRuns: 500 },
    );
  });
});
