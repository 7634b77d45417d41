import { LOCAL_API_KEY, LOCAL_GRAPHQL_URL, deriveRealtimeUrl, type GraphQLRequest } from '@tickerflow/appsync-protocol';
import { UsageError } from '@tickerflow/core';
import { QUOTE_FIELDS } from '@tickerflow/quote';

/** appsync-local's defaults, so `npx sub` works against it with no flags. */
export const DEFAULT_URL = LOCAL_GRAPHQL_URL;
export const DEFAULT_API_KEY = LOCAL_API_KEY;


const TICKER = /^[A-Z0-9._-]{1,16}$/;
const GRAPHQL_NAME = /^[_A-Za-z][_0-9A-Za-z]*$/;

/** The options commander hands the action (after the per-option parsers ran). */
export interface SubOptions {
  readonly url: string;
  readonly apiKey: string;
  readonly realtimeUrl?: string;
  readonly authTransport: 'query' | 'subprotocol';
  readonly ticker?: readonly string[];
  readonly fields?: readonly string[];
  readonly subscriptionField: string;
  readonly query?: string;
  readonly variables?: string;
  readonly json?: boolean;
  readonly count?: number;
  readonly duration?: number;
  readonly stats?: boolean;
  readonly verbose?: boolean;
  readonly ackTimeout: number;
  readonly maxRetries: number;
  readonly retryInitial: number;
  readonly retryMax: number;
}

/** One subscription to start, with a label for messages and the table. */
export interface SubscriptionSpec {
  readonly label: string;
  readonly request: GraphQLRequest;
}

/** Everything `sub` needs, validated before the first connection. */
export interface SubConfig {
  readonly url: string;
  readonly realtimeUrl: string;
  readonly apiKey: string;
  readonly authTransport: 'query' | 'subprotocol';
  readonly subscriptions: readonly SubscriptionSpec[];
  readonly output: 'json' | 'table';
  readonly count: number | undefined;
  readonly durationMs: number | undefined;
  readonly stats: boolean;
  readonly verbose: boolean;
  readonly ackTimeoutMs: number;
  readonly reconnect: { readonly initialMs: number; readonly maxMs: number; readonly factor: number; readonly maxRetries: number };
}

/** Collects `--ticker` values: repeatable, each a comma list; upper-cased and checked. */
export function collectTickers(raw: string, previous: readonly string[] | undefined): string[] {
  const tickers = [...(previous ?? [])];
  const items = raw.split(',').map((item) => item.trim()).filter((item) => item !== '');
  if (items.length === 0) throw new UsageError(`--ticker must name at least one ticker, got '${raw}'`);
  for (const item of items) {
    const ticker = item.toUpperCase();
    if (!TICKER.test(ticker)) {
      throw new UsageError(`--ticker '${item}' is not a ticker (1-16 of A-Z 0-9 . _ -)`);
    }
    if (!tickers.includes(ticker)) tickers.push(ticker);
  }
  return tickers;
}

/** Parses `--fields`: a comma list of GraphQL field names. */
export function parseFields(raw: string): string[] {
  const fields = raw.split(',').map((item) => item.trim()).filter((item) => item !== '');
  if (fields.length === 0) throw new UsageError(`--fields must list at least one field, got '${raw}'`);
  for (const field of fields) {
    if (!GRAPHQL_NAME.test(field)) throw new UsageError(`--fields: '${field}' is not a GraphQL field name`);
  }
  return [...new Set(fields)];
}

/** The subscription document for one ticker (filtered server-side through `variables`) or for all. */
export function subscriptionRequest(field: string, fields: readonly string[], ticker?: string): GraphQLRequest {
  const selection = fields.join(' ');
  if (ticker === undefined) return { query: `subscription Quotes { ${field} { ${selection} } }` };
  return {
    query: `subscription Quotes($ticker: String) { ${field}(ticker: $ticker) { ${selection} } }`,
    variables: { ticker },
  };
}

/** Validates the options into a frozen config; throws UsageError/ConfigError (exit 2). */
export function resolveConfig(options: SubOptions, stdoutIsTty: boolean): SubConfig {
  if (!GRAPHQL_NAME.test(options.subscriptionField)) {
    throw new UsageError(`--subscription-field '${options.subscriptionField}' is not a GraphQL field name`);
  }
  if (options.variables !== undefined && options.query === undefined) {
    throw new UsageError('--variables needs --query');
  }
  if (options.apiKey.trim() === '') throw new UsageError('--api-key must not be empty (or set APPSYNC_API_KEY)');
  if (!/^https?:\/\//.test(options.url)) {
    throw new UsageError(`--url must be an http:// or https:// GraphQL URL, got '${options.url}'`);
  }
  if (options.realtimeUrl !== undefined && !/^wss?:\/\//.test(options.realtimeUrl)) {
    throw new UsageError(`--realtime-url must be a ws:// or wss:// URL, got '${options.realtimeUrl}'`);
  }
  const realtimeUrl = options.realtimeUrl ?? deriveRealtimeUrl(options.url);
  if (options.retryMax < options.retryInitial) {
    throw new UsageError(`--retry-max (${options.retryMax}) must be >= --retry-initial (${options.retryInitial})`);
  }
  const fields = options.fields ?? QUOTE_FIELDS;
  const subscriptions: SubscriptionSpec[] = [];
  for (const ticker of options.ticker ?? []) {
    subscriptions.push({ label: ticker, request: subscriptionRequest(options.subscriptionField, fields, ticker) });
  }
  if (options.query !== undefined) {
    if (options.query.trim() === '') throw new UsageError('--query must not be empty');
    const variables = options.variables === undefined ? undefined : parseVariables(options.variables);
    subscriptions.push({
      label: '--query',
      request: variables === undefined ? { query: options.query } : { query: options.query, variables },
    });
  }
  if (subscriptions.length === 0) {
    subscriptions.push({ label: 'all tickers', request: subscriptionRequest(options.subscriptionField, fields) });
  }
  return Object.freeze({
    url: options.url,
    realtimeUrl,
    apiKey: options.apiKey,
    authTransport: options.authTransport,
    subscriptions: Object.freeze(subscriptions),
    output: options.json || !stdoutIsTty ? 'json' : 'table',
    count: options.count,
    durationMs: options.duration === undefined ? undefined : options.duration * 1000,
    stats: options.stats === true,
    verbose: options.verbose === true,
    ackTimeoutMs: options.ackTimeout,
    reconnect: Object.freeze({
      initialMs: options.retryInitial,
      maxMs: options.retryMax,
      factor: 2,
      maxRetries: options.maxRetries,
    }),
  });
}

function parseVariables(raw: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw new UsageError(`--variables must be a JSON object, got '${raw}'`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new UsageError(`--variables must be a JSON object, got '${raw}'`);
  }
  return value as Record<string, unknown>;
}
