import { describe, expect, it } from 'vitest';
import { parseStatTicks, parseVmHwmKiB, sampleProcess } from './proc';

describe('parseStatTicks', () => {
  it('adds utime and stime, also when the command name holds spaces and parentheses', () => {
    const stat = '1234 (node (main) x) S 1 1234 1234 0 -1 4194304 100 0 0 0 250 75 0 0 20 0 11 0 500 1000 2000';
    expect(parseStatTicks(stat)).toBe(325);
  });
  it('refuses garbage', () => {
    expect(() => parseStatTicks('nonsense')).toThrow('unexpected /proc/<pid>/stat format');
  });
});

describe('parseVmHwmKiB', () => {
  it('reads the peak resident set', () => {
    expect(parseVmHwmKiB('Name:\tnode\nVmPeak:\t 900 kB\nVmHWM:\t  123456 kB\nVmRSS:\t 1 kB\n')).toBe(123456);
  });
  it('is undefined without the line', () => {
    expect(parseVmHwmKiB('Name:\tnode\n')).toBeUndefined();
  });
});

describe('sampleProcess', () => {
  it.runIf(process.platform === 'linux')('samples this process', () => {
    const sample = sampleProcess(process.pid);
    expect(sample?.cpuSeconds).toBeGreaterThan(0);
    expect(sample?.peakRssMiB).toBeGreaterThan(10);
  });
  it('is undefined for a process that does not exist', () => {
    expect(sampleProcess(2 ** 30)).toBeUndefined();
  });
});
