import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { UsageError } from '@tickerflow/core';
import { collectTickers, parseFields, resolveConfig, subscriptionRequest, withFields, type SubOptions } from './config';

const base: SubOptions = {
  url: 'http://127.0.0.1:4000/graphql',
  apiKey: 'da2-tickerflowlocaldevkey000000',
  authTransport: 'query',
  subscriptionField: 'tickerlocal',
  tickerArg: 'ticker',
  ackTimeout: 10_000,
  maxRetries: 10,
  retryInitial: 500,
  retryMax: 15_000,
};

describe('collectTickers', () => {
  it('accepts repeats and comma lists, upper-cases, drops duplicates', () => {
    expect(collectTickers('sol', collectTickers('btc, ETH', undefined))).toEqual(['BTC', 'ETH', 'SOL']);
    expect(collectTickers('BTC', ['BTC'])).toEqual(['BTC']);
  });

  it.each([
    [' , ', "--ticker must name at least one ticker, got ' , '"],
    ['B$C', "--ticker 'B$C' is not a ticker (1-16 of A-Z 0-9 . _ -)"],
    ['ABCDEFGHIJKLMNOPQ', "--ticker 'ABCDEFGHIJKLMNOPQ' is not a ticker (1-16 of A-Z 0-9 . _ -)"],
  ])('rejects %j', (raw, message) => {
    expect(() => collectTickers(raw, undefined)).toThrow(new UsageError(message));
  });
});

describe('parseFields', () => {
  it('splits and dedupes', () => {
    expect(parseFields('ticker, price,ticker')).toEqual(['ticker', 'price']);
  });
  it.each([
    ['', "--fields must list at least one field, got ''"],
    ['price,bad-field', "--fields: 'bad-field' is not a GraphQL field name"],
  ])('rejects %j', (raw, message) => {
    expect(() => parseFields(raw)).toThrow(new UsageError(message));
  });
});

describe('subscriptionRequest', () => {
  it('filters with literal arguments, so no argument type has to be declared', () => {
    const request = subscriptionRequest('tickerlocal', ['ticker', 'price'], [
      { name: 'ticker', literal: '"BTC"' },
      { name: 'id', literal: '5' },
    ]);
    expect(request).toEqual({ query: 'subscription Quotes { tickerlocal(ticker: "BTC", id: 5) { ticker price } }' });
    expect(() => parse(request.query)).not.toThrow();
  });
  it('has no argument for every ticker', () => {
    expect(subscriptionRequest('tickerlocal', ['id'])).toEqual({ query: 'subscription Quotes { tickerlocal { id } }' });
  });
});

describe('resolveConfig', () => {
  it('defaults to one unfiltered subscription with every quote field, JSON when not a TTY', () => {
    const config = resolveConfig(base, false);
    expect(config.realtimeUrl).toBe('ws://127.0.0.1:4000/graphql/realtime');
    expect(config.output).toBe('json');
    expect(config.subscriptions).toEqual([
      {
        label: 'all tickers',
        request: { query: 'subscription Quotes { tickerlocal { id ticker seq price bid ask size matchtime ts } }' },
        args: [],
      },
    ]);
    expect(config.fieldsFromSchema).toBe(true);
    expect(config.keyField).toBe('ticker');
    expect(Object.isFrozen(config)).toBe(true);
  });

  it("fits another schema: its field, its selection, --ticker on the argument it names, --filter on any", () => {
    const config = resolveConfig(
      {
        ...base,
        subscriptionField: 'onQuote',
        fields: ['symbol', 'last'],
        tickerArg: 'symbol',
        ticker: ['BTC', 'ETH'],
        filter: [{ name: 'venue', literal: '"X"' }],
      },
      false,
    );
    expect(config.subscriptions.map((spec) => [spec.label, spec.request])).toEqual([
      ['BTC', { query: 'subscription Quotes { onQuote(symbol: "BTC", venue: "X") { symbol last } }' }],
      ['ETH', { query: 'subscription Quotes { onQuote(symbol: "ETH", venue: "X") { symbol last } }' }],
    ]);
    expect(config.fieldsFromSchema).toBe(false);
    expect(config.keyField).toBe('symbol');
  });

  it('--filter alone makes one filtered subscription', () => {
    const config = resolveConfig({ ...base, fields: ['id'], filter: [{ name: 'ticker', literal: '"BTC"' }, { name: 'price', literal: '1.5' }] }, false);
    expect(config.subscriptions.map((spec) => [spec.label, spec.request])).toEqual([
      ['ticker="BTC" price=1.5', { query: 'subscription Quotes { tickerlocal(ticker: "BTC", price: 1.5) { id } }' }],
    ]);
  });

  it('withFields re-selects the generated subscriptions and leaves --query alone', () => {
    const config = withFields(resolveConfig({ ...base, ticker: ['BTC'], query: 'subscription { x }' }, false), ['id', 'price']);
    expect(config.subscriptions.map((spec) => spec.request.query)).toEqual([
      'subscription Quotes { tickerlocal(ticker: "BTC") { id price } }',
      'subscription { x }',
    ]);
    expect(config.fieldsFromSchema).toBe(false);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('makes one subscription per ticker plus the raw --query, table on a TTY', () => {
    const config = resolveConfig(
      { ...base, ticker: ['BTC', 'ETH'], fields: ['ticker'], query: 'subscription { x }', variables: '{"a":1}' },
      true,
    );
    expect(config.output).toBe('table');
    expect(config.subscriptions.map((s) => s.label)).toEqual(['BTC', 'ETH', '--query']);
    expect(config.subscriptions[1]!.request).toEqual({ query: 'subscription Quotes { tickerlocal(ticker: "ETH") { ticker } }' });
    expect(config.subscriptions[2]!.request).toEqual({ query: 'subscription { x }', variables: { a: 1 } });
  });

  it('derives the AWS realtime host, or takes --realtime-url', () => {
    const aws = 'https://abc.appsync-api.eu-west-1.amazonaws.com/graphql';
    expect(resolveConfig({ ...base, url: aws }, false).realtimeUrl).toBe(
      'wss://abc.appsync-realtime-api.eu-west-1.amazonaws.com/graphql',
    );
    expect(resolveConfig({ ...base, realtimeUrl: 'ws://h:1/rt' }, false).realtimeUrl).toBe('ws://h:1/rt');
  });

  it('--json wins on a TTY; --duration is seconds; --count passes through', () => {
    const config = resolveConfig({ ...base, json: true, duration: 1.5, count: 10 }, true);
    expect([config.output, config.durationMs, config.count]).toEqual(['json', 1500, 10]);
  });

  it.each([
    [{ variables: '{}' }, '--variables needs --query'],
    [{ query: 'subscription { x }', variables: '[1]' }, "--variables must be a JSON object, got '[1]'"],
    [{ query: 'subscription { x }', variables: '{' }, "--variables must be a JSON object, got '{'"],
    [{ query: '  ' }, '--query must not be empty'],
    [{ url: 'ws://127.0.0.1:4000/graphql' }, "--url must be an http:// or https:// GraphQL URL, got 'ws://127.0.0.1:4000/graphql'"],
    [{ realtimeUrl: 'http://x/realtime' }, "--realtime-url must be a ws:// or wss:// URL, got 'http://x/realtime'"],
    [{ apiKey: ' ' }, '--api-key must not be empty (or set APPSYNC_API_KEY)'],
    [{ retryInitial: 100, retryMax: 10 }, '--retry-max (10) must be >= --retry-initial (100)'],
    [{ subscriptionField: 'on-quote' }, "--subscription-field 'on-quote' is not a GraphQL field name"],
    [{ tickerArg: '1x' }, "--ticker-arg '1x' is not a GraphQL argument name"],
    [
      { ticker: ['BTC'], filter: [{ name: 'ticker', literal: '"ETH"' }] },
      "--ticker and --filter ticker=… both set 'ticker'; use one",
    ],
  ])('rejects %j', (overrides, message) => {
    expect(() => resolveConfig({ ...base, ...overrides }, false)).toThrow(new UsageError(message));
  });
});
