import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Board } from './board';
import { renderTable } from './table-view';
import { buildStats, formatStats } from './stats-report';

const quote = (ticker: string, seq: number, price: number, ts: number) => ({ ticker, seq, price, bid: price - 0.5, ask: price + 0.5, ts });

describe('Board', () => {
  it('tracks last prices, change, latency, gaps and duplicates per ticker', () => {
    const board = new Board(0);
    board.record(quote('BTC', 1, 100, 1000), 1005, 0);
    board.record(quote('BTC', 2, 101, 1010), 1012, 0);
    board.record(quote('BTC', 5, 99, 1020), 1050, 1);
    board.record(quote('BTC', 5, 99, 1020), 1051, 1);
    board.record(quote('ETH', 7, 10, 2000), 1990, 0);
    board.sample(2000);
    const btc = board.rows.get('BTC')!;
    expect([btc.events, btc.firstPrice, btc.last, btc.bid, btc.ask, btc.lastLatencyMs, btc.rate]).toEqual([4, 100, 99, 98.5, 99.5, 31, 2]);
    expect(board.sequenceOf('BTC')).toEqual({ gaps: 1, missed: 2, duplicates: 1 });
    expect(board.eventsAfterReconnect).toBe(2);
    const stats = buildStats(board, 2000, 1, []);
    expect(stats).toMatchObject({ events: 5, eventsPerSecond: 3, gaps: 1, missed: 2, duplicates: 1, reconnects: 1 });
    expect(stats.latencyMs).toEqual({ count: 5, p50: 5, p99: 31, max: 31 });
    expect(stats.tickers.map((t) => [t.ticker, t.events, t.latencyMs?.max])).toEqual([
      ['BTC', 4, 31],
      ['ETH', 1, 0],
    ]);
    expect(formatStats(stats)).toContain('sub stats: 5 events in 2.0 s (3/s), reconnects 1, gaps 1 (missed 2), duplicates 1');
  });

  it('reports the gap a reconnect caused, once per ticker and epoch', () => {
    const calls: [string, number, number][] = [];
    const board = new Board(0, (ticker, missed, epoch) => calls.push([ticker, missed, epoch]));
    board.record(quote('BTC', 1, 100, 0), 0, 0);
    board.record(quote('BTC', 2, 100, 0), 0, 0);
    board.record(quote('BTC', 6, 100, 0), 0, 1);
    board.record(quote('BTC', 9, 100, 0), 0, 1); // a later gap in the same epoch is counted, not announced
    board.record(quote('ETH', 4, 100, 0), 0, 1); // first ever ETH: no gap to report
    expect(calls).toEqual([['BTC', 3, 1]]);
    expect(board.sequenceOf('BTC')).toEqual({ gaps: 2, missed: 5, duplicates: 0 });
  });

  it('accounts what a narrow --fields selection carries', () => {
    const board = new Board(0);
    board.record({ price: 5 }, 10, 0);
    expect(board.rows.get('?')!.last).toBe(5);
    expect(board.sequences.totals().events).toBe(0);
  });
});

describe('renderTable', () => {
  it('renders one row per ticker without colour codes when colour is off', () => {
    const board = new Board(0);
    board.record(quote('BTC', 1, 100, 1000), 1005, 0);
    board.record(quote('BTC', 3, 102.5, 1000), 1007, 0);
    const lines = renderTable(board, { state: 'connected', realtimeUrl: 'ws://x/graphql/realtime', reconnects: 0, notices: ['hello'] }, false);
    expect(lines).toEqual([
      'TICKER    LAST     BID     ASK     CHG    CHG%  UPD/S  LAT ms  GAPS  DUPS',
      'BTC     102.50  102.00  103.00  +2.500  +2.50%    0.0       7     1     0',
      'connected · ws://x/graphql/realtime · 2 events · 0 reconnects',
      'hello',
    ]);
    expect(lines.join('\n')).not.toContain('\u001b');
    expect(renderTable(board, { state: 's', realtimeUrl: 'u', reconnects: 0, notices: [] }, true).join('')).toContain('\u001b[32m');
  });
});

describe('events of another schema (no seq, no ts, no bid/ask)', () => {
  const reference = (id: number, ticker: string, price: number) => ({ id: String(id), ticker, price, matchtime: '2026-12-01T10:50:59.222824' });

  it('the table shows the fields the events have and n/a for what cannot be measured', () => {
    const board = new Board(0);
    board.record(reference(0, 'BTC', 100), 10, 0);
    board.record(reference(1, 'BTC', 106.5), 20, 0);
    board.record(reference(2, 'ETH', 2), 30, 0);
    const lines = renderTable(board, { state: 'connected', realtimeUrl: 'ws://x', reconnects: 0, notices: [] }, false);
    expect(lines).toEqual([
      'TICKER    LAST     CHG    CHG%  UPD/S  LAT ms  GAPS  DUPS',
      'BTC     106.50  +6.500  +6.50%    0.0     n/a   n/a   n/a',
      'ETH      2.000  +0.000  +0.00%    0.0     n/a   n/a   n/a',
      'connected · ws://x · 3 events · 0 reconnects',
    ]);
  });

  it('the statistics say n/a (null in JSON) instead of zeros', () => {
    const board = new Board(0);
    board.record(reference(0, 'BTC', 100), 10, 0);
    const stats = buildStats(board, 1000, 0, []);
    expect(stats).toMatchObject({ events: 1, gaps: null, missed: null, duplicates: null, latencyMs: null });
    expect(stats.tickers).toEqual([{ ticker: 'BTC', events: 1, gaps: null, missed: null, duplicates: null, latencyMs: null }]);
    expect(formatStats(stats)).toBe(
      'sub stats: 1 events in 1.0 s (1/s), reconnects 0, gaps n/a, duplicates n/a, latency n/a\n' +
        '  BTC     events 1  gaps n/a  duplicates n/a  latency n/a\n',
    );
  });

  it('keys rows by the --ticker-arg field, numbers included', () => {
    const board = new Board(0, undefined, 'symbol');
    board.record({ symbol: 'BTC', last: 1 }, 0, 0);
    board.record({ symbol: 7, seq: 1 }, 0, 0);
    board.record({ ticker: 'ETH' }, 0, 0);
    expect([...board.rows.keys()]).toEqual(['BTC', '7', '?']);
    expect(board.sequenceOf('7')).toEqual({ gaps: 0, missed: 0, duplicates: 0 });
  });

  it('a seq or ts that is not a usable number is not accounted', () => {
    const board = new Board(0);
    board.record({ ticker: 'BTC', seq: 1.5, ts: Number.NaN, price: Number.POSITIVE_INFINITY }, 0, 0);
    board.record({ ticker: 'BTC', seq: '2', ts: '3' }, 0, 0);
    expect(board.seen).toEqual({ price: false, bid: false, ask: false, seq: false, ts: false });
    expect(buildStats(board, 1, 0, [])).toMatchObject({ events: 2, gaps: null, latencyMs: null });
  });

  it('no event shape crashes recording, the table or the statistics', () => {
    const value = fc.oneof(fc.string(), fc.double(), fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.integer()), fc.object());
    const event = fc.dictionary(fc.constantFrom('ticker', 'seq', 'ts', 'price', 'bid', 'ask', 'id', 'x', '__proto__'), value);
    fc.assert(
      fc.property(fc.array(fc.tuple(event, fc.nat(3))), (events) => {
        const board = new Board(0);
        for (const [quote, epoch] of events) board.record(quote, 1_000, epoch);
        board.sample(2_000);
        renderTable(board, { state: 's', realtimeUrl: 'u', reconnects: 0, notices: [] }, true);
        const stats = buildStats(board, 1_000, 0, []);
        formatStats(stats);
        expect(JSON.parse(JSON.stringify(stats))).toEqual(stats);
        expect(stats.events).toBe(events.length);
      }),
      { numRuns: 300 },
    );
  });
});
