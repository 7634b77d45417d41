/**
 * One market quote as it travels through tickerflow: JSON (UTF-8) on Kafka with
 * key = ticker and Kafka timestamp = `ts`, the same fields on AppSync.
 * A superset of the reference design's `{id, ticker, price, matchtime}`.
 */
export interface Quote {
  /** Unique per quote; ticker-gen makes it `${ticker}-${seq}-${run}` so a seeded stream is reproducible. */
  readonly id: string;
  /** 1-16 characters of A-Z 0-9 . _ - (upper case). */
  readonly ticker: string;
  /** Per-ticker sequence from 1, +1 for each quote (integer, < 2^31). */
  readonly seq: number;
  /** Last trade price, rounded to the ticker's tick, > 0. */
  readonly price: number;
  /** Best bid, rounded to the tick, > 0 and < ask. */
  readonly bid: number;
  /** Best ask, rounded to the tick, > bid. */
  readonly ask: number;
  /** Traded size, > 0. */
  readonly size: number;
  /** ISO-8601 UTC with milliseconds, e.g. 2026-11-25T02:30:00.123Z. */
  readonly matchtime: string;
  /** Epoch milliseconds when the quote was produced (integer); used to measure latency. */
  readonly ts: number;
}

/**
 * The quote's fields in contract order (also the order encodeQuote writes them), each with its
 * GraphQL type in schema/tickerlocal.graphql: the one list the quote's GraphQL shape derives from.
 */
export const QUOTE_GRAPHQL_TYPES = Object.freeze({
  id: 'String',
  ticker: 'String',
  seq: 'Int',
  price: 'Float',
  bid: 'Float',
  ask: 'Float',
  size: 'Float',
  matchtime: 'AWSDateTime',
  ts: 'Float',
} as const);

export type QuoteField = keyof typeof QUOTE_GRAPHQL_TYPES;

/** The quote's field names, in contract order. */
export const QUOTE_FIELDS: readonly QuoteField[] = Object.freeze(Object.keys(QUOTE_GRAPHQL_TYPES) as QuoteField[]);

/** What a ticker may look like: 1-16 of A-Z 0-9 . _ - */
export const TICKER_PATTERN = /^[A-Z0-9._-]{1,16}$/;

/** Largest seq (exclusive): it must fit a signed 32-bit integer (GraphQL Int). */
export const MAX_SEQ = 2 ** 31;

/** Longest id accepted by the validator. */
export const MAX_ID_LENGTH = 128;
