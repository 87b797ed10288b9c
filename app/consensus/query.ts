/**
 * The CometBFT event query language (libs/pubsub/query), subset used by tx_search,
 * block_search and subscribe: `<composite.key> <op> <operand>` joined with AND,
 * ops = < <= > >= CONTAINS EXISTS, operands 'single-quoted strings', numbers,
 * `DATE 2024-01-02` and `TIME 2024-01-02T03:04:05Z`. A condition holds when any
 * value of its key satisfies it. Browser-safe (the SDK can pre-validate queries).
 */

export type QueryOp = '=' | '<' | '<=' | '>' | '>=' | 'CONTAINS' | 'EXISTS';

export type Operand =
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: string }
  | { kind: 'time'; value: number }; // ms since epoch, for DATE and TIME

export interface Condition {
  key: string;
  op: QueryOp;
  operand?: Operand;
}

export class QueryParseError extends Error {
  override readonly name = 'QueryParseError';
}


/** Parse a query; throws QueryParseError with the position of the problem. */
export function parseQuery(query: string): Condition[] {
  const conds: Condition[] = [];
  let i = 0;
  const s = query;
  const fail = (what: string) => new QueryParseError(`invalid query at position ${i}: ${what} (query: ${JSON.stringify(query)})`);
  const skipWs = () => {
    while (i < s.length && /\s/.test(s[i])) i++;
  };
  const word = (re: RegExp): string => {
    const m = re.exec(s.slice(i));
    if (!m) return '';
    i += m[0].length;
    return m[0];
  };
  skipWs();
  if (i === s.length) throw fail('empty query');
  for (;;) {
    skipWs();
    const key = word(/^[^\s=<>'"!]+/);
    if (!key) throw fail('expected an event key such as tx.height or transfer.recipient');
    skipWs();
    let op: QueryOp;
    const sym = word(/^(<=|>=|=|<|>)/);
    if (sym) op = sym as QueryOp;
    else if (word(/^CONTAINS\b/)) op = 'CONTAINS';
    else if (word(/^EXISTS\b/)) op = 'EXISTS';
    else throw fail('expected an operator: =, <, <=, >, >=, CONTAINS or EXISTS');
    skipWs();
    let operand: Operand | undefined;
    if (op !== 'EXISTS') {
      if (s[i] === "'") {
        const end = s.indexOf("'", i + 1);
        if (end < 0) throw fail('unterminated string');
        operand = { kind: 'string', value: s.slice(i + 1, end) };
        i = end + 1;
      } else if (word(/^DATE\s+/)) {
        const d = word(/^\d{4}-\d{2}-\d{2}/);
        if (!d) throw fail('expected a date like 2024-01-02');
        operand = { kind: 'time', value: Date.parse(`${d}T00:00:00Z`) };
      } else if (word(/^TIME\s+/)) {
        const t = word(/^\S+/);
        const ms = Date.parse(t);
        if (!t || Number.isNaN(ms)) throw fail('expected an RFC 3339 time');
        operand = { kind: 'time', value: ms };
      } else {
        const n = word(/^-?\d+(?:\.\d+)?(?![^\s])/);
        if (!n) throw fail("expected a 'quoted string', a number, DATE or TIME");
        operand = { kind: 'number', value: n };
      }
      if (op === 'CONTAINS' && operand.kind !== 'string') throw fail('CONTAINS needs a quoted string');
    }
    conds.push({ key, op, operand });
    skipWs();
    if (i === s.length) break;
    if (!word(/^AND\b/)) throw fail('expected AND or the end of the query');
  }
  return conds;
}

/** -1, 0 or 1 comparing two decimal strings exactly (integers as bigints). */
export function compareDecimal(a: string, b: string): number {
  if (!a.includes('.') && !b.includes('.')) {
    const x = BigInt(a);
    const y = BigInt(b);
    return x === y ? 0 : x < y ? -1 : 1;
  }
  const x = Number(a);
  const y = Number(b);
  return x === y ? 0 : x < y ? -1 : 1;
}

function order(op: QueryOp, c: number): boolean {
  switch (op) {
    case '=':
      return c === 0;
    case '<':
      return c < 0;
    case '<=':
      return c <= 0;
    case '>':
      return c > 0;
    case '>=':
      return c >= 0;
    default:
      return false;
  }
}

/** Does one attribute value satisfy the condition? (The key is assumed to match.) */
export function matchValue(cond: Condition, value: string): boolean {
  const o = cond.operand;
  if (cond.op === 'EXISTS' || !o) return true;
  if (cond.op === 'CONTAINS') return value.includes(o.value as string);
  switch (o.kind) {
    case 'string':
      if (cond.op === '=') return value === o.value;
      return order(cond.op, value < o.value ? -1 : value > o.value ? 1 : 0);
    case 'number': {
      // CometBFT compares numerically when the operand is a number; values such as "100stake" compare by their leading number.
      const m = /^-?\d+(?:\.\d+)?/.exec(value.trim());
      if (!m) return false;
      return order(cond.op, compareDecimal(m[0], o.value));
    }
    case 'time': {
      const ms = Date.parse(value);
      if (Number.isNaN(ms)) return false;
      return order(cond.op, ms === o.value ? 0 : ms < o.value ? -1 : 1);
    }
  }
}

/** Match a whole query against events flattened to `type.attr → values` (how subscribe matches). */
export function matchEvents(conds: readonly Condition[], events: Readonly<Record<string, readonly string[]>>): boolean {
  return conds.every((c) => (events[c.key] ?? []).some((v) => matchValue(c, v)));
}
