import { describe, expect, it } from 'vitest';
import { matchEvents, parseQuery, QueryParseError } from '../../app/consensus/query.js';

describe('event query language', () => {
  it('parses conditions joined by AND', () => {
    expect(parseQuery("tm.event = 'Tx' AND tx.height>=5 AND transfer.recipient CONTAINS 'guts1' AND a.b EXISTS")).toEqual([
      { key: 'tm.event', op: '=', operand: { kind: 'string', value: 'Tx' } },
      { key: 'tx.height', op: '>=', operand: { kind: 'number', value: '5' } },
      { key: 'transfer.recipient', op: 'CONTAINS', operand: { kind: 'string', value: 'guts1' } },
      { key: 'a.b', op: 'EXISTS', operand: undefined },
    ]);
    expect(parseQuery('block.time >= TIME 2024-01-02T03:04:05Z')[0].operand).toEqual({ kind: 'time', value: Date.UTC(2024, 0, 2, 3, 4, 5) });
  });

  it('rejects malformed queries with a positioned message', () => {
    for (const q of ['', 'tx.height', "a.b = 'x' OR c.d = 'y'", "a.b = 'unterminated", 'a.b CONTAINS 5', 'a.b = x5']) {
      expect(() => parseQuery(q), q).toThrow(QueryParseError);
    }
  });

  it('matches flattened events: any value of the key, numbers compared numerically', () => {
    const events = { 'tm.event': ['Tx'], 'transfer.amount': ['100stake', '9stake'], 'tx.height': ['12'] };
    expect(matchEvents(parseQuery("tm.event='Tx' AND tx.height > 9"), events)).toBe(true);
    expect(matchEvents(parseQuery('transfer.amount < 10'), events)).toBe(true);
    expect(matchEvents(parseQuery('transfer.amount > 100'), events)).toBe(false);
    expect(matchEvents(parseQuery('missing.key EXISTS'), events)).toBe(false);
    expect(matchEvents(parseQuery('tx.height = 12.0'), events)).toBe(true);
  });
});
