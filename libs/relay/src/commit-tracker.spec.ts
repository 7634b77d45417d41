import { describe, expect, it } from 'vitest';
import { createCommitTracker } from './commit-tracker';

describe('createCommitTracker', () => {
  it('commits the next offset after the last handled one', () => {
    const tracker = createCommitTracker();
    tracker.handled('t', 0, '41');
    expect(tracker.pending()).toEqual([{ topic: 't', partition: 0, offset: '42' }]);
  });

  it('never moves backwards', () => {
    const tracker = createCommitTracker();
    tracker.handled('t', 0, '10');
    tracker.handled('t', 0, '5');
    expect(tracker.position('t', 0)).toBe('11');
  });

  it('reports only partitions that moved since the last commit', () => {
    const tracker = createCommitTracker();
    tracker.handled('t', 0, '1');
    tracker.handled('t', 1, '7');
    tracker.markCommitted(tracker.pending());
    expect(tracker.pending()).toEqual([]);
    tracker.handled('t', 1, '8');
    expect(tracker.pending()).toEqual([{ topic: 't', partition: 1, offset: '9' }]);
  });

  it('handles 64-bit offsets', () => {
    const tracker = createCommitTracker();
    tracker.handled('t', 0, '9007199254740993');
    expect(tracker.position('t', 0)).toBe('9007199254740994');
  });

  it('forgets partitions it no longer owns', () => {
    const tracker = createCommitTracker();
    tracker.handled('t', 0, '1');
    tracker.handled('t', 1, '1');
    tracker.retain((_, partition) => partition === 1);
    expect(tracker.pending().map((p) => p.partition)).toEqual([1]);
  });
});
