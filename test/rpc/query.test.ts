/** The subscription query language: parsing and matching against composite-key maps. */
import { describe, expect, it } from 'vitest';
import { parseQuery, QueryParseError } from '../../app/rpc/events/query.js';

const txEvents = new Map<string, string[]>([
  ['tm.event', ['Tx']],
  ['tx.height', ['42']],
  ['tx.hash', ['ABCD']],
  ['transfer.amount', ['100stake', '2500stake']],
  ['transfer.recipient', ['guts1bob']],
  ['message.action', ['/cosmos.bank.v1beta1.MsgSend']],
  ['block.time', ['2026-05-28T10:00:00Z']],
]);

const matches = (q: string) => parseQuery(q).matches(txEvents);

describe('event queries', () => {
  it('match equality on strings and numbers, joined by AND', () => {
    expect(matches("tm.event='Tx'")).toBe(true);
    expect(matches("tm.event = 'NewBlock'")).toBe(false);
    expect(matches("tm.event='Tx' AND tx.height=42")).toBe(true);
    expect(matches("tm.event='Tx' AND tx.height=43")).toBe(false);
    expect(matches("tm.event='Tx' and transfer.recipient='guts1bob'")).toBe(true);
  });

  it('compare numbers by the leading number of any value', () => {
    expect(matches('transfer.amount > 2000')).toBe(true);
    expect(matches('transfer.amount >= 2500')).toBe(true);
    expect(matches('transfer.amount > 2500')).toBe(false);
    expect(matches('transfer.amount < 100.5')).toBe(true);
    expect(matches('tx.height <= 41')).toBe(false);
    expect(matches('tx.height > 9007199254740993')).toBe(false);
  });

  it('support CONTAINS, EXISTS, DATE and TIME', () => {
    expect(matches("message.action CONTAINS 'bank'")).toBe(true);
    expect(matches("message.action CONTAINS 'staking'")).toBe(false);
    expect(matches('transfer.recipient EXISTS')).toBe(true);
    expect(matches('transfer.sender EXISTS')).toBe(false);
    expect(matches('block.time > DATE 2026-05-27')).toBe(true);
    expect(matches('block.time < TIME 2026-05-28T09:00:00Z')).toBe(false);
  });

  it('treats the empty query as matching everything', () => {
    expect(matches('')).toBe(true);
    expect(parseQuery('  ').matches(new Map())).toBe(true);
  });

  it('rejects malformed queries with a parse error', () => {
    for (const q of ["tm.event = = 'Tx'", "tm.event 'Tx'", "tm.event='Tx' tx.height=5", 'tm.event =', "tm.event='Tx' AND", "x < 'str'", 'x CONTAINS 5', 'x = DATE tomorrow', "tm.event='unterminated"]) {
      expect(() => parseQuery(q), q).toThrow(QueryParseError);
    }
  });
});
