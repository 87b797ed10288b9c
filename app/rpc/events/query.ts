/**
 * Subscription queries. The language itself (CometBFT libs/pubsub/query) lives in
 * consensus/query.ts so `subscribe`, `tx_search` and `block_search` read a query the
 * same way; this adds the text subscriptions are keyed and echoed by.
 */
import { matchEvents, parseQuery as parseConditions, QueryParseError } from '../../consensus/query.js';

export { QueryParseError };

/**
 * Composite key (`<event type>.<attribute key>`) → every value emitted for it. Built
 * with a null prototype: a query naming `constructor` must find nothing, not Object's.
 */
export type EventMap = Readonly<Record<string, readonly string[]>>;

export interface EventQuery {
  /** The query as the client wrote it (subscriptions are keyed and echoed by it). */
  readonly text: string;
  matches(events: EventMap): boolean;
}

/** Parse a query; throws QueryParseError naming the position of the problem. */
export function parseQuery(text: string): EventQuery {
  const conditions = parseConditions(text);
  return { text, matches: (events) => matchEvents(conditions, events) };
}

export function newEventMap(): Record<string, string[]> {
  return Object.create(null) as Record<string, string[]>;
}
