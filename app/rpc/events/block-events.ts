/**
 * The events a committed block publishes to subscribers, in CometBFT 0.38's order
 * (state/execution.go fireEvents): NewBlock, NewBlockHeader, NewBlockEvents, then one
 * Tx per transaction. Each carries the composite-key map queries match against; the
 * JSON payload is only built when some subscriber matched.
 */
import type { Event, ExecTxResult } from 'cosmjs-types/tendermint/abci/types';
import type { NewBlockEvent } from '../../consensus/types.js';
import { blockIdJson, blockJson, headerJson } from '../encoding/block.js';
import { eventJson, finalizeBlockEventJson, txResultJson } from '../encoding/abci.js';
import { b64, hex, int64 } from '../encoding/primitives.js';
import { txHash } from '../../consensus/encoding/hashes.js';
import { newEventMap, type EventMap } from './query.js';

export type EventType = 'NewBlock' | 'NewBlockHeader' | 'NewBlockEvents' | 'Tx';

export interface PublishedEvent {
  type: EventType;
  events: EventMap;
  /** `{type: "tendermint/event/<Type>", value}`, built on first use. */
  data(): unknown;
  /** Tx events only: the tx hash and its result, for broadcast_tx_commit waiters. */
  tx?: { hash: Uint8Array; height: number; result: ExecTxResult };
}

function eventMap(type: EventType, abciEvents: readonly Event[], extra: [string, string][] = []): EventMap {
  const m = newEventMap();
  const add = (k: string, v: string): void => {
    (m[k] ??= []).push(v);
  };
  for (const e of abciEvents) {
    // An event with an empty type cannot be addressed by a composite key.
    if (e.type === '') continue;
    for (const a of e.attributes) if (a.key !== '') add(`${e.type}.${a.key}`, a.value);
  }
  m['tm.event'] = [type];
  for (const [k, v] of extra) add(k, v);
  return m;
}

function lazy<T>(build: () => T): () => T {
  let cached: { v: T } | undefined;
  return () => (cached ??= { v: build() }).v;
}

export function blockEvents(ev: NewBlockEvent): PublishedEvent[] {
  const { block, blockId } = ev.block;
  const results = ev.results;
  const height = Number(block.header.height);
  const txs = block.data?.txs ?? [];
  const out: PublishedEvent[] = [
    {
      type: 'NewBlock',
      events: eventMap('NewBlock', results.events),
      data: lazy(() => ({
        type: 'tendermint/event/NewBlock',
        value: { block: blockJson(block), block_id: blockIdJson(blockId), result_finalize_block: finalizeBlockEventJson(results) },
      })),
    },
    {
      type: 'NewBlockHeader',
      events: eventMap('NewBlockHeader', []),
      data: lazy(() => ({ type: 'tendermint/event/NewBlockHeader', value: { header: headerJson(block.header) } })),
    },
    {
      type: 'NewBlockEvents',
      events: eventMap('NewBlockEvents', results.events),
      data: lazy(() => ({
        type: 'tendermint/event/NewBlockEvents',
        value: { height: int64(height), events: results.events.map(eventJson), num_txs: int64(txs.length) },
      })),
    },
  ];
  txs.forEach((tx, index) => {
    const result = results.txResults[index];
    if (result === undefined) return;
    const hash = txHash(tx);
    out.push({
      type: 'Tx',
      events: eventMap('Tx', result.events, [
        ['tx.hash', hex(hash)],
        ['tx.height', int64(height)],
      ]),
      data: lazy(() => ({
        type: 'tendermint/event/Tx',
        value: { TxResult: { height: int64(height), index, tx: b64(tx), result: txResultJson(result) } },
      })),
      tx: { hash, height, result },
    });
  });
  return out;
}

/** The `events` field of a subscription message. */
export function eventsJson(events: EventMap): Record<string, readonly string[]> {
  return Object.fromEntries(Object.entries(events));
}
