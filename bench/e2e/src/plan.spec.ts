import { describe, expect, it } from 'vitest';
import { UsageError } from '@tickerflow/core';
import { nextSearchRate, parseCli } from './plan';

describe('parseCli', () => {
  it('full run by default: three rates, 1 and 50 subscribers, all four paths, a search', () => {
    const { plan, outDir } = parseCli([], '/out');
    expect(plan).toMatchObject({ mode: 'full', rates: [1000, 5000, 20000], subscribers: [1, 50], paths: ['floor', 'reference', 'bridge', 'ceiling'], ratioRate: 5000 });
    expect(plan.searchSteps).toBeGreaterThan(0);
    expect(outDir).toBe('/out');
  });

  it('--quick: one rate, no search; --tiny: rate 200, 2 subscribers, 3 s', () => {
    expect(parseCli(['--quick'], '/o').plan).toMatchObject({ mode: 'quick', searchSteps: 0 });
    expect(parseCli(['--quick'], '/o').plan.rates).toHaveLength(1);
    expect(parseCli(['--tiny'], '/o').plan).toMatchObject({ mode: 'tiny', rates: [200], subscribers: [2], seconds: 3, searchSteps: 0, ratioRate: 200 });
  });

  it('options override the preset; the ratio rate follows the rates when the preset one is not run', () => {
    const { plan } = parseCli(['--rates', '300,100', '--subscribers', '3', '--paths', 'bridge,floor', '--seconds', '4', '--out', 'x'], '/o');
    expect(plan).toMatchObject({ rates: [100, 300], subscribers: [3], paths: ['bridge', 'floor'], seconds: 4, ratioRate: 300 });
  });

  it.each([
    [['--paths', 'lambda'], "--paths: unknown path 'lambda'"],
    [['--rates', '10,x'], "--rates must be a number > 0, got 'x'"],
    [['--seconds', '8s'], "--seconds must be a number > 0, got '8s'"],
    [['--partitions', 'six'], "--partitions must be a whole number >= 1, got 'six'"],
    [['--seconds', '2', '--warmup', '2'], '--warmup must be shorter than --seconds'],
    [['--quick', '--tiny'], "option '--quick' cannot be used with option '--tiny'"],
    [['--subscribers', '1.5'], "--subscribers must be a whole number >= 1, got '1.5'"],
    [['--bogus'], "unknown option '--bogus'"],
  ])('%j is a usage error', (argv, message) => {
    expect(() => parseCli(argv, '/o')).toThrow(UsageError);
    expect(() => parseCli(argv, '/o')).toThrow(message);
  });
});

describe('nextSearchRate', () => {
  const r = (rate: number, sustained: boolean) => ({ rate, sustained });
  it.each([
    ['all sustained: step up by the factor', [r(1000, true), r(5000, true), r(20000, true)], 40000],
    ['bracketed: geometric midpoint', [r(1000, true), r(5000, true), r(20000, false)], 10000],
    ['nothing sustained: well below the lowest', [r(1000, false), r(5000, false)], 250],
    ['bracket under 25 %: stop', [r(10000, true), r(12000, false)], undefined],
    ['already run: stop', [r(10000, true), r(40000, false), r(20000, false)], 14000],
  ])('%s', (_name, results, expected) => {
    expect(nextSearchRate(results, 2)).toBe(expected);
  });

  it('never goes below 10 quotes/s', () => {
    expect(nextSearchRate([r(20, false)], 2)).toBeUndefined();
  });
});
