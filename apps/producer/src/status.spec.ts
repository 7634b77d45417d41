import { describe, expect, it } from 'vitest';
import { createRateMeter, formatStatus } from './status';

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
