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
    expect(stats.tickers.map((t) => [t.ticker, t.events, t.latencyMs.max])).toEqual([
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
