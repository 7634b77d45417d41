import { describe, expect, it } from 'vitest';
import { DUPLICATE, IN_ORDER, createSequenceTracker } from './sequence-tracker';

describe('createSequenceTracker', () => {
  it.each([
    { name: 'in order', seqs: [1, 2, 3, 4], results: [0, 0, 0, 0], gaps: 0, missed: 0, duplicates: 0 },
    { name: 'joins mid-stream', seqs: [41, 42], results: [0, 0], gaps: 0, missed: 0, duplicates: 0 },
    { name: 'one missing', seqs: [1, 2, 4], results: [0, 0, 1], gaps: 1, missed: 1, duplicates: 0 },
    { name: 'a long jump', seqs: [5, 105], results: [0, 99], gaps: 1, missed: 99, duplicates: 0 },
    { name: 'two gaps', seqs: [1, 3, 6], results: [0, 1, 2], gaps: 2, missed: 3, duplicates: 0 },
    { name: 'a repeat', seqs: [1, 2, 2, 3], results: [0, 0, -1, 0], gaps: 0, missed: 0, duplicates: 1 },
    { name: 'an older one', seqs: [1, 2, 3, 1, 4], results: [0, 0, 0, -1, 0], gaps: 0, missed: 0, duplicates: 1 },
    { name: 'late after a gap', seqs: [1, 3, 2, 4], results: [0, 1, -1, 0], gaps: 1, missed: 1, duplicates: 1 },
  ])('$name', ({ seqs, results, gaps, missed, duplicates }) => {
    const tracker = createSequenceTracker();
    expect(seqs.map((seq) => tracker.observe('BTC', seq))).toEqual(results);
    expect(tracker.get('BTC')).toEqual({ events: seqs.length, lastSeq: Math.max(...seqs), gaps, missed, duplicates });
  });

  it('keeps keys apart and totals them', () => {
    const tracker = createSequenceTracker();
    tracker.observe('BTC', 1);
    tracker.observe('ETH', 10);
    expect(tracker.observe('BTC', 3)).toBe(1);
    expect(tracker.observe('ETH', 11)).toBe(IN_ORDER);
    expect(tracker.observe('ETH', 11)).toBe(DUPLICATE);
    expect([...tracker.keys()]).toEqual(['BTC', 'ETH']);
    expect(tracker.get('SOL')).toBeUndefined();
    expect(tracker.totals()).toEqual({ keys: 2, events: 5, lastSeq: 11, gaps: 1, missed: 1, duplicates: 1 });
  });
});
