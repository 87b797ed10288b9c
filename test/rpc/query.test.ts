/**
 * Subscription queries: the shared query language (consensus/query.ts) matched against
 * the composite-key maps a block publishes.
 */
import { describe, expect, it } from 'vitest';
import { toUtf8 } from '@cosmjs/encoding';
import { blockEvents } from '../../app/rpc/events/block-events.js';
import { parseQuery, QueryParseError } from '../../app/rpc/events/query.js';
import { FakeChain } from './fake-chain.js';

function publishedBlock() {
  const chain = new FakeChain();
  chain.commitBlock([]);
  return blockEvents(chain.commitBlock([toUtf8('a bigger tx'), toUtf8('tiny')]));
}

const matching = (q: string) =>
  publishedBlock()
    .filter((p) => parseQuery(q).matches(p.events))
    .map((p) => (p.type === 'Tx' ? `Tx#${(p.tx?.result.events[0].attributes[0].value ?? '')}` : p.type));

describe('subscription queries against published block events', () => {
  it('select event types with tm.event', () => {
    expect(matching("tm.event='NewBlock'")).toEqual(['NewBlock']);
    expect(matching("tm.event='NewBlockHeader'")).toEqual(['NewBlockHeader']);
    expect(matching("tm.event='NewBlockEvents'")).toEqual(['NewBlockEvents']);
    expect(matching("tm.event='Tx'")).toEqual(['Tx#1100stake', 'Tx#400stake']);
  });

  it('match tx attributes, tx.height and tx.hash', () => {
    expect(matching("tm.event='Tx' AND transfer.amount > 500")).toEqual(['Tx#1100stake']);
    expect(matching("tm.event='Tx' AND tx.height=2")).toHaveLength(2);
    expect(matching("tm.event='Tx' AND tx.height=3")).toEqual([]);
    expect(matching("message.action CONTAINS 'bank'")).toEqual(['Tx#1100stake', 'Tx#400stake']);
  });

  it('match finalize-block events on NewBlock and NewBlockEvents', () => {
    expect(matching("coin_spent.amount='1stake'")).toEqual(['NewBlock', 'NewBlockEvents']);
    expect(matching('coin_spent.amount EXISTS AND tm.event = \'NewBlock\'')).toEqual(['NewBlock']);
  });

  it('find nothing under keys that name Object.prototype members', () => {
    expect(matching('constructor EXISTS')).toEqual([]);
    expect(matching("__proto__ = 'x'")).toEqual([]);
    expect(matching('toString EXISTS')).toEqual([]);
  });

  it('keep the text as written', () => {
    expect(parseQuery("tm.event = 'Tx'").text).toBe("tm.event = 'Tx'");
  });

  it('reject malformed queries with a parse error', () => {
    for (const q of ['', "tm.event = = 'Tx'", "tm.event 'Tx'", "tm.event='Tx' tx.height=5", 'tm.event =', "tm.event='Tx' AND", 'x CONTAINS 5', 'x = DATE tomorrow', "tm.event='unterminated"]) {
      expect(() => parseQuery(q), q).toThrow(QueryParseError);
    }
  });
});
