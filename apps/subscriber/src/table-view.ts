import cliCursor from 'cli-cursor';
import { createLogUpdate } from 'log-update';
import picocolors from 'picocolors';
import type { Board, TickerRow } from './board';

export interface TableStatus {
  /** e.g. 'connected', 'reconnecting (attempt 2)'. */
  readonly state: string;
  readonly realtimeUrl: string;
  readonly reconnects: number;
  /** Most recent notices (errors, reconnects), newest last. */
  readonly notices: readonly string[];
}

const NOT_AVAILABLE = 'n/a';

interface Column {
  readonly title: string;
  readonly cell: (row: TickerRow, board: Board) => string;
  /** Shown only when some event carried the field it needs (a schema without bid/ask has no such columns). */
  readonly shown: (board: Board) => boolean;
}

const always = (): boolean => true;
const change = (row: TickerRow): number | undefined =>
  row.last !== undefined && row.firstPrice !== undefined ? row.last - row.firstPrice : undefined;

// LAT, GAPS and DUPS always show: "n/a" tells the reader the events carry no ts / seq to measure by.
const COLUMNS: readonly Column[] = [
  { title: 'TICKER', cell: (row) => row.ticker, shown: always },
  { title: 'LAST', cell: (row) => price(row.last), shown: (board) => board.seen.price },
  { title: 'BID', cell: (row) => price(row.bid), shown: (board) => board.seen.bid },
  { title: 'ASK', cell: (row) => price(row.ask), shown: (board) => board.seen.ask },
  {
    title: 'CHG',
    cell: (row) => {
      const value = change(row);
      return value === undefined ? '-' : `${value >= 0 ? '+' : ''}${price(value)}`;
    },
    shown: (board) => board.seen.price,
  },
  {
    title: 'CHG%',
    cell: (row) => {
      const value = change(row);
      const percent = value !== undefined && row.firstPrice ? (value / row.firstPrice) * 100 : undefined;
      return percent === undefined ? '-' : `${percent >= 0 ? '+' : ''}${percent.toFixed(2)}%`;
    },
    shown: (board) => board.seen.price,
  },
  { title: 'UPD/S', cell: (row) => row.rate.toFixed(row.rate < 10 ? 1 : 0), shown: always },
  {
    title: 'LAT ms',
    cell: (row) => (row.lastLatencyMs === undefined ? NOT_AVAILABLE : String(Math.max(0, Math.round(row.lastLatencyMs)))),
    shown: always,
  },
  { title: 'GAPS', cell: (row, board) => String(board.sequenceOf(row.ticker).missed ?? NOT_AVAILABLE), shown: always },
  { title: 'DUPS', cell: (row, board) => String(board.sequenceOf(row.ticker).duplicates ?? NOT_AVAILABLE), shown: always },
];

const COLORED = picocolors.createColors(true);
const PLAIN = picocolors.createColors(false);

/** The table as lines (no cursor movement): one row per ticker, a status line, the latest notices. */
export function renderTable(board: Board, status: TableStatus, color: boolean): string[] {
  const { bold, dim, green, red } = color ? COLORED : PLAIN;
  const columns = COLUMNS.filter((column) => column.shown(board));
  const rows: string[][] = [];
  const signs: number[] = [];
  for (const row of board.rows.values()) {
    const value = change(row);
    signs.push(value === undefined ? 0 : Math.sign(value));
    rows.push(columns.map((column) => column.cell(row, board)));
  }
  const widths = columns.map((column, index) => Math.max(column.title.length, ...rows.map((cells) => (cells[index] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[0] ?? 0) : cell.padStart(widths[column] ?? 0))).join('  ');
  const header = line(columns.map((column) => column.title));
  const lines = [bold(header)];
  rows.forEach((cells, index) => {
    const text = line(cells);
    const sign = signs[index] ?? 0;
    lines.push(sign === 0 ? text : sign > 0 ? green(text) : red(text));
  });
  if (rows.length === 0) lines.push('(waiting for events)');
  const footer = `${status.state} · ${status.realtimeUrl} · ${board.events} events · ${status.reconnects} reconnects`;
  lines.push(dim(footer));
  for (const notice of status.notices) lines.push(red(notice));
  return lines;
}

function price(value: number | undefined): string {
  if (value === undefined) return '-';
  const magnitude = Math.abs(value);
  if (magnitude >= 100) return value.toFixed(2);
  if (magnitude >= 1) return value.toFixed(3);
  return value.toPrecision(4);
}

/**
 * Redraws the table in place (log-update: only the changed lines, wrapped to the terminal's width
 * and clipped to its height), at most every `intervalMs` (default 100 ms: ≤ 10 frames/s) and only
 * when something changed.
 */
export class LiveTable {
  private readonly update: ReturnType<typeof createLogUpdate>;
  private timer: NodeJS.Timeout | undefined;
  private sampleTimer: NodeJS.Timeout | undefined;
  private dirty = true;

  constructor(
    private readonly out: NodeJS.WritableStream,
    private readonly board: Board,
    private readonly status: () => TableStatus,
    private readonly color: boolean,
    private readonly intervalMs = 100,
  ) {
    // The cursor is hidden on the stream drawn on (log-update's own hiding targets stderr).
    this.update = createLogUpdate(out, { showCursor: true });
  }

  start(): void {
    cliCursor.hide(this.out);
    this.draw();
    this.timer = setInterval(() => {
      if (this.dirty) this.draw();
    }, this.intervalMs);
    this.sampleTimer = setInterval(() => {
      this.board.sample();
      this.dirty = true;
    }, 1000);
  }

  /** Marks the view stale (an event arrived, a notice was added). */
  touch(): void {
    this.dirty = true;
  }

  /** Final frame, cursor back on. */
  stop(): void {
    clearInterval(this.timer);
    clearInterval(this.sampleTimer);
    this.board.sample();
    this.draw();
    this.update.done();
    cliCursor.show(this.out);
  }

  private draw(): void {
    this.dirty = false;
    this.update(renderTable(this.board, this.status(), this.color).join('\n'));
  }
}
