import { describe, expect, it } from 'vitest';
import { UsageError } from './errors';
import { parseFraction, parseList, parseNonNegativeNumber, parsePositiveInteger } from './parse';

describe('option parsers', () => {
  it.each([
    ['--rate', '-1', "--rate must be a number >= 0, got '-1'"],
    ['--rate', 'fast', "--rate must be a number >= 0, got 'fast'"],
    ['--rate', '', "--rate must be a number >= 0, got ''"],
  ])('parseNonNegativeNumber(%s, %j) rejects', (name, raw, message) => {
    expect(() => parseNonNegativeNumber(name, raw)).toThrow(new UsageError(message));
  });

  it('parseNonNegativeNumber accepts 0 and fractions', () => {
    expect(parseNonNegativeNumber('--rate', '0')).toBe(0);
    expect(parseNonNegativeNumber('--rate', '2.5')).toBe(2.5);
  });

  it.each(['0', '1.5', '-3', 'x', '1e3'])('parsePositiveInteger rejects %j', (raw) => {
    expect(() => parsePositiveInteger('--count', raw)).toThrow(UsageError);
  });

  it('parsePositiveInteger accepts whole numbers', () => {
    expect(parsePositiveInteger('--count', '1000')).toBe(1000);
  });

  it('parseFraction bounds to [0, 1]', () => {
    expect(parseFraction('--fail-rate', '0.3')).toBe(0.3);
    expect(() => parseFraction('--fail-rate', '1.2')).toThrow("--fail-rate must be a number from 0 to 1, got '1.2'");
  });

  it('parseList trims and rejects an empty list', () => {
    expect(parseList('--tickers', ' BTC, ETH ,')).toEqual(['BTC', 'ETH']);
    expect(() => parseList('--tickers', ' , ')).toThrow(UsageError);
  });
});
