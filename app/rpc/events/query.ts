/**
 * The CometBFT event query language (libs/pubsub/query, v0.38) used by `subscribe`:
 *
 *   tm.event = 'Tx' AND transfer.amount > 5 AND message.sender EXISTS
 *
 * Conditions are joined by AND; operators are =, <, <=, >, >=, CONTAINS and EXISTS;
 * operands are 'single-quoted strings', numbers, DATE yyyy-mm-dd and TIME RFC 3339.
 * A condition holds when any of the event's values for its composite key satisfies it.
 */

/** Composite key (`<event type>.<attribute key>`) → every value emitted for it. */
export type EventMap = ReadonlyMap<string, readonly string[]>;

export class QueryParseError extends Error {
  override readonly name = 'QueryParseError';
}

type Operator = '=' | '<' | '<=' | '>' | '>=' | 'CONTAINS' | 'EXISTS';

type Operand =
  | { kind: 'string'; value: string }
  | { kind: 'number'; text: string; value: number }
  | { kind: 'time'; value: number };

interface Condition {
  tag: string;
  op: Operator;
  operand?: Operand;
}

export interface EventQuery {
  /** The query as the client wrote it (echoed in subscription events). */
  readonly text: string;
  matches(events: EventMap): boolean;
}

// Tags are anything up to whitespace or an operator character (`tm.event`, `message.action`).
const TOKEN_RE =
  /\s*(?:(?<op><=|>=|=|<|>)|'(?<str>[^']*)'|(?<kw>AND|CONTAINS|EXISTS|DATE|TIME)(?![^\s=<>'])|(?<num>-?[0-9]+(?:\.[0-9]+)?)(?![^\s=<>'])|(?<word>[^\s=<>']+))/iy;

interface Token {
  type: 'op' | 'str' | 'kw' | 'num' | 'word';
  text: string;
  offset: number;
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  TOKEN_RE.lastIndex = 0;
  const end = text.trimEnd().length;
  let pos = 0;
  while (pos < end) {
    TOKEN_RE.lastIndex = pos;
    const m = TOKEN_RE.exec(text);
    if (m === null || m.groups === undefined) throw new QueryParseError(`offset ${pos}: unexpected input ${JSON.stringify(text.slice(pos, pos + 10))}`);
    const g = m.groups;
    const offset = m.index + m[0].length - m[0].trimStart().length;
    if (g.op !== undefined) tokens.push({ type: 'op', text: g.op, offset });
    else if (g.str !== undefined) tokens.push({ type: 'str', text: g.str, offset });
    else if (g.kw !== undefined) tokens.push({ type: 'kw', text: g.kw.toUpperCase(), offset });
    else if (g.num !== undefined) tokens.push({ type: 'num', text: g.num, offset });
    else tokens.push({ type: 'word', text: g.word ?? '', offset });
    pos = TOKEN_RE.lastIndex;
  }
  return tokens;
}

/** Parse a query; throws QueryParseError with the offending offset. The empty query matches everything. */
export function parseQuery(text: string): EventQuery {
  const tokens = tokenize(text);
  const conditions: Condition[] = [];
  let i = 0;
  const next = (what: string): Token => {
    const t = tokens[i++];
    if (t === undefined) throw new QueryParseError(`unexpected end of query, wanted ${what}`);
    return t;
  };
  while (i < tokens.length) {
    if (conditions.length > 0) {
      const and = next('AND');
      if (and.type !== 'kw' || and.text !== 'AND') throw new QueryParseError(`offset ${and.offset}: got ${and.text}, wanted AND`);
    }
    const tag = next('a tag');
    if (tag.type !== 'word' && tag.type !== 'num') throw new QueryParseError(`offset ${tag.offset}: got ${tag.text}, wanted a tag`);
    const op = next('an operator');
    if (op.type === 'kw' && op.text === 'EXISTS') {
      conditions.push({ tag: tag.text, op: 'EXISTS' });
      continue;
    }
    if (!(op.type === 'op' || (op.type === 'kw' && op.text === 'CONTAINS'))) {
      throw new QueryParseError(`offset ${op.offset}: got ${op.text}, wanted =, <, <=, >, >=, CONTAINS or EXISTS`);
    }
    const operand = parseOperand(next, op.text as Operator);
    conditions.push({ tag: tag.text, op: op.text as Operator, operand });
  }
  return { text, matches: (events) => conditions.every((c) => holds(c, events)) };
}

function parseOperand(next: (what: string) => Token, op: Operator): Operand {
  const t = next('an operand');
  let operand: Operand;
  if (t.type === 'str') operand = { kind: 'string', value: t.text };
  else if (t.type === 'num') operand = { kind: 'number', text: t.text, value: Number(t.text) };
  else if (t.type === 'kw' && (t.text === 'DATE' || t.text === 'TIME')) {
    const v = next(`a ${t.text} value`);
    const ms = Date.parse(v.text);
    const shape = t.text === 'DATE' ? /^\d{4}-\d{2}-\d{2}$/ : /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
    if (!shape.test(v.text) || Number.isNaN(ms)) throw new QueryParseError(`offset ${v.offset}: invalid ${t.text} ${JSON.stringify(v.text)}`);
    operand = { kind: 'time', value: ms };
  } else throw new QueryParseError(`offset ${t.offset}: got ${t.text}, wanted a 'string', number, DATE or TIME`);
  if (op === 'CONTAINS' && operand.kind !== 'string') throw new QueryParseError(`CONTAINS needs a 'string' operand`);
  if (op !== '=' && op !== 'CONTAINS' && operand.kind === 'string') throw new QueryParseError(`${op} needs a number, DATE or TIME operand`);
  return operand;
}

function holds(c: Condition, events: EventMap): boolean {
  const values = events.get(c.tag);
  if (values === undefined || values.length === 0) return false;
  if (c.op === 'EXISTS') return true;
  const operand = c.operand!;
  return values.some((v) => compare(c.op, operand, v));
}

const LEADING_NUMBER_RE = /^-?[0-9]+(?:\.[0-9]+)?/;

function compare(op: Operator, operand: Operand, value: string): boolean {
  switch (operand.kind) {
    case 'string':
      return op === 'CONTAINS' ? value.includes(operand.value) : value === operand.value;
    case 'number': {
      // Values such as "100stake" compare by their leading number, as CometBFT does.
      const m = LEADING_NUMBER_RE.exec(value);
      if (m === null) return false;
      const isInt = !m[0].includes('.') && !operand.text.includes('.');
      const sign = isInt ? cmpBig(BigInt(m[0]), BigInt(operand.text)) : Math.sign(Number(m[0]) - operand.value);
      return ordered(op, sign);
    }
    case 'time': {
      const ms = Date.parse(value);
      return !Number.isNaN(ms) && ordered(op, Math.sign(ms - operand.value));
    }
  }
}

function cmpBig(a: bigint, b: bigint): number {
  return a === b ? 0 : a < b ? -1 : 1;
}

function ordered(op: Operator, sign: number): boolean {
  switch (op) {
    case '=':
      return sign === 0;
    case '<':
      return sign < 0;
    case '<=':
      return sign <= 0;
    case '>':
      return sign > 0;
    case '>=':
      return sign >= 0;
    default:
      return false;
  }
}
