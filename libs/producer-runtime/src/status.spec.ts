import { describe, expect, it } from 'vitest';
import type { Logger } from 'pino';
import { createLogProgress, createRateMeter, createTerminalStatus, formatStatus } from './status';

describe('formatStatus', () => {
  it('fits sent, rate, errors, in flight and elapsed on one line', () => {
    expect(formatStatus({ sent: 1_234_567, errors: 0, inFlight: 5_000 }, 61_234.4, 12_345)).toBe(
      'sent 1,234,567 | 61,234/s | errors 0 | in flight 5,000 | 12.3s',
    );
  });
});

describe('createRateMeter', () => {
  it('measures over about the last second', () => {
    const rate = createRateMeter(1_000);
    expect(rate(0, 0)).toBe(0);
    expect(rate(500, 500)).toBe(1_000);
    expect(rate(1_000, 1_000)).toBe(1_000);
    // The rate drops: the window forgets the fast start.
    expect(rate(1_500, 1_100)).toBeCloseTo(600);
    expect(rate(2_500, 1_200)).toBeLessThan(300);
  });
});

describe('reporters', () => {
  const stats = { sent: 10, bytes: 0, errors: 1, retries: 0, inFlight: 2, startedAt: performance.now() };

  it('draws the terminal status in place and erases it for log lines and at the end', () => {
    const writes: string[] = [];
    const stream = { write: (text: string) => writes.push(text) } as unknown as NodeJS.WritableStream;
    const status = createTerminalStatus(stream, 60_000);
    status.start(stats);
    status.around(() => writes.push('LOG\n'));
    status.stop();
    // log-update: the line and a newline; erasing it goes back up over both.
    const ERASE = '\x1b[2K\x1b[1A\x1b[2K\x1b[G';
    expect(writes[0]).toMatch(/^sent 10 \| \d+\/s \| errors 1 \| in flight 2 \| \d+\.\ds\n$/);
    expect(writes[1]).toBe(ERASE);
    expect(writes[2]).toBe('LOG\n');
    expect(writes[3]?.startsWith('sent 10 |')).toBe(true);
    expect(writes[4]).toBe(ERASE);
    expect(writes).toHaveLength(5);
  });

  it('logs one progress line per interval', async () => {
    const lines: Record<string, unknown>[] = [];
    const logger = { info: (fields: Record<string, unknown>, msg: string) => lines.push({ ...fields, msg }) } as unknown as Logger;
    const progress = createLogProgress(logger, 20);
    progress.start(stats);
    await new Promise((resolve) => setTimeout(resolve, 70));
    progress.stop();
    expect(lines.length).toBeGreaterThanOrEqual(2);
    expect(lines[0]).toMatchObject({ msg: 'progress', sent: 10, errors: 1, inFlight: 2 });
  });
});
