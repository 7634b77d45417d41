import { deriveRealtimeUrl, type GraphQLRequest } from '@tickerflow/appsync-protocol';
import { UsageError, type RetryPolicy } from '@tickerflow/core';
import { QUOTE_FIELDS, TICKER_PATTERN } from '@tickerflow/quote';
import { isGraphQLName, printArguments, type FilterArgument } from './filter-args';

/** The argument `--ticker` fills (tickerflow's and the reference design's). */
export const DEFAULT_TICKER_ARG = 'ticker';

/** The options commander hands the action (after the per-option parsers ran). */
export interface SubOptions {
  readonly url: string;
  readonly apiKey: string;
  readonly realtimeUrl?: string;
  readonly authTransport: 'query' | 'subprotocol';
  readonly ticker?: readonly string[];
  readonly fields?: readonly string[];
  readonly subscriptionField: string;
  /** The subscription argument `--ticker` fills; also the event field rows are keyed by. */
  readonly tickerArg: string;
  readonly filter?: readonly FilterArgument[];
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
  /** The filter arguments of a generated subscription (none for --query), to rebuild it with another selection. */
  readonly args?: readonly FilterArgument[];
}

/** Everything `sub` needs, validated before the first connection. */
export interface SubConfig {
  readonly url: string;
  readonly realtimeUrl: string;
  readonly apiKey: string;
  readonly authTransport: 'query' | 'subprotocol';
  readonly subscriptions: readonly SubscriptionSpec[];
  readonly subscriptionField: string;
  /** No --fields: select the return type's scalar fields when the API answers introspection. */
  readonly fieldsFromSchema: boolean;
  /** Event field that names a row of the table and a key of the sequence/latency accounting. */
  readonly keyField: string;
  readonly output: 'json' | 'table';
  readonly count: number | undefined;
  readonly durationMs: number | undefined;
  readonly stats: boolean;
  readonly verbose: boolean;
  readonly ackTimeoutMs: number;
  readonly reconnect: RetryPolicy;
}

/** Collects `--ticker` values: repeatable, each a comma list; upper-cased and checked. */
export function collectTickers(raw: string, previous: readonly string[] | undefined): string[] {
  const tickers = [...(previous ?? [])];
  const items = raw.split(',').map((item) => item.trim()).filter((item) => item !== '');
  if (items.length === 0) throw new UsageError(`--ticker must name at least one ticker, got '${raw}'`);
  for (const item of items) {
    const ticker = item.toUpperCase();
    if (!TICKER_PATTERN.test(ticker)) {
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
    if (!isGraphQLName(field)) throw new UsageError(`--fields: '${field}' is not a GraphQL field name`);
  }
  return [...new Set(fields)];
}

/**
 * The subscription document: `field(arg: literal, …) { fields }`. Arguments are literals, not
 * variables, so no argument type has to be declared (it differs between schemas: String, ID…);
 * AppSync filters server-side on each one.
 */
export function subscriptionRequest(field: string, fields: readonly string[], args: readonly FilterArgument[] = []): GraphQLRequest {
  const argumentList = args.length === 0 ? '' : `(${printArguments(args)})`;
  return { query: `subscription Quotes { ${field}${argumentList} { ${fields.join(' ')} } }` };
}

/** Validates the options into a frozen config; throws UsageError/ConfigError (exit 2). */
export function resolveConfig(options: SubOptions, stdoutIsTty: boolean): SubConfig {
  if (!isGraphQLName(options.subscriptionField)) {
    throw new UsageError(`--subscription-field '${options.subscriptionField}' is not a GraphQL field name`);
  }
  if (!isGraphQLName(options.tickerArg)) throw new UsageError(`--ticker-arg '${options.tickerArg}' is not a GraphQL argument name`);
  const filters = options.filter ?? [];
  const tickers = options.ticker ?? [];
  if (tickers.length > 0 && filters.some((filter) => filter.name === options.tickerArg)) {
    throw new UsageError(`--ticker and --filter ${options.tickerArg}=… both set '${options.tickerArg}'; use one`);
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
  for (const ticker of tickers) {
    const args = [{ name: options.tickerArg, literal: JSON.stringify(ticker) }, ...filters];
    subscriptions.push({ label: ticker, request: subscriptionRequest(options.subscriptionField, fields, args), args });
  }
  if (tickers.length === 0 && filters.length > 0) {
    const label = filters.map((filter) => `${filter.name}=${filter.literal}`).join(' ');
    subscriptions.push({ label, request: subscriptionRequest(options.subscriptionField, fields, filters), args: filters });
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
    subscriptions.push({ label: 'all tickers', request: subscriptionRequest(options.subscriptionField, fields), args: [] });
  }
  return Object.freeze({
    url: options.url,
    realtimeUrl,
    apiKey: options.apiKey,
    authTransport: options.authTransport,
    subscriptions: Object.freeze(subscriptions),
    subscriptionField: options.subscriptionField,
    fieldsFromSchema: options.fields === undefined,
    keyField: options.tickerArg,
    output: options.json || !stdoutIsTty ? 'json' : 'table',
    count: options.count,
    durationMs: options.duration === undefined ? undefined : options.duration * 1000,
    stats: options.stats === true,
    verbose: options.verbose === true,
    ackTimeoutMs: options.ackTimeout,
    reconnect: Object.freeze({
      retries: options.maxRetries,
      initialRetryTime: options.retryInitial,
      maxRetryTime: options.retryMax,
      multiplier: 2,
      factor: 1,
    }),
  });
}

/** The config with every generated subscription selecting `fields` instead (--query ones stay as given). */
export function withFields(config: SubConfig, fields: readonly string[]): SubConfig {
  const subscriptions = config.subscriptions.map((spec) =>
    spec.args === undefined ? spec : { ...spec, request: subscriptionRequest(config.subscriptionField, fields, spec.args) },
  );
  return Object.freeze({ ...config, subscriptions: Object.freeze(subscriptions), fieldsFromSchema: false });
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
