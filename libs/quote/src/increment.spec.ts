import { describe, expect, it } from 'vitest';
import { decimalsOf, fromSteps, increment, roundToIncrement } from './increment';

describe('increments', () => {
  it.each([
    [1, 0],
    [5, 0],
    [0.1, 1],
    [0.01, 2],
    [0.05, 2],
    [0.0001, 4],
    [1e-7, 7],
    [0.25, 2],
  ])('decimalsOf(%d) is %i', (step, decimals) => {
    expect(decimalsOf(step)).toBe(decimals);
  });

  it.each([
    [0.1 + 0.2, 0.1, 0.3],
    [1.0051, 0.01, 1.01],
    [1.005, 0.01, 1], // the double 1.005 is 1.00499999999999989...
    [95000.014999, 0.01, 95000.01],
    [12.37, 0.05, 12.35],
    [12.38, 0.05, 12.4],
    [0.00012345, 0.0001, 0.0001],
    [1234.5, 1, 1235],
  ])('roundToIncrement(%d, %d) is %d exactly', (value, step, expected) => {
    const rounded = roundToIncrement(value, increment(step));
    expect(rounded).toBe(expected);
    expect(String(rounded).split('.')[1]?.length ?? 0).toBeLessThanOrEqual(decimalsOf(step));
  });

  it('never prints float noise for any number of steps', () => {
    const tick = increment(0.01);
    const noisy: string[] = [];
    for (let steps = 1; steps < 200_000; steps += 7) {
      const text = String(fromSteps(steps, tick));
      if ((text.split('.')[1]?.length ?? 0) > 2) noisy.push(text);
    }
    expect(noisy).toEqual([]);
  });

  it.each([0, -0.01, Number.NaN])('rejects %d as an increment', (step) => {
    expect(() => increment(step)).toThrow(RangeError);
  });
});
