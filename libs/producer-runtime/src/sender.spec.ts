import { describe, expect, it } from 'vitest';
import { partitionOfTicker } from './sender';

describe('partitionOfTicker', () => {
  it('matches the Java client (murmur2 of the key, positive, modulo partitions)', () => {
    // Computed with kafka-clients 3.9.1: Utils.toPositive(Utils.murmur2(ticker.getBytes())) % 3.
    const partitionOf = partitionOfTicker('t', 3);
    const partitions = ['BTC', 'ETH', 'SOL', 'BNB', 'AAPL', 'MSFT', 'NVDA', 'TSLA'].map(partitionOf);
    expect(partitions).toEqual([1, 1, 0, 0, 0, 0, 2, 2]);
    expect(partitionOfTicker('other-topic', 3)('BTC')).toBe(partitionOf('BTC'));
  });

  it('puts everything in partition 0 of a one-partition topic', () => {
    expect(partitionOfTicker('t', 1)('BTC')).toBe(0);
  });
});
