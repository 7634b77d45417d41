import { describe, expect, it } from 'vitest';
import { conflateLatest } from './conflate';

describe('conflateLatest', () => {
  it.each([
    [['A', 'B', 'C'], [0, 1, 2], 0],
    [['A', 'A', 'A'], [2], 2],
    [['A', 'B', 'A', 'C', 'B'], [2, 3, 4], 2],
    [[], [], 0],
  ])('%j keeps %j and drops %i', (keys, keep, dropped) => {
    expect(conflateLatest(keys, (key) => key)).toEqual({ keep, dropped });
  });
});
