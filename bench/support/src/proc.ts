import { readFileSync, writeFileSync } from 'node:fs';

/** utime + stime in clock ticks from the text of /proc/<pid>/stat (the comm field may hold spaces). */
export function parseStatTicks(stat: string): number {
  const close = stat.lastIndexOf(')');
  if (close < 0) throw new Error('unexpected /proc/<pid>/stat format');
  // Fields after "(comm)": state is field 3, utime field 14, stime field 15 (1-based).
  const fields = stat.slice(close + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) throw new Error('unexpected /proc/<pid>/stat format');
  return utime + stime;
}

/** VmHWM (peak resident set) in KiB from the text of /proc/<pid>/status, or undefined. */
export function parseVmHwmKiB(status: string): number | undefined {
  const match = /^VmHWM:\s+(\d+)\s+kB/m.exec(status);
  return match ? Number(match[1]) : undefined;
}

/** Clock ticks per second for /proc/<pid>/stat (USER_HZ; 100 on every Linux build that matters). */
export const CLOCK_TICKS = 100;

export interface ProcSample {
  readonly cpuSeconds: number;
  readonly peakRssMiB: number;
}

/** Reads a live process's CPU time and peak RSS; undefined when it is gone or /proc is missing. */
export function sampleProcess(pid: number): ProcSample | undefined {
  try {
    const ticks = parseStatTicks(readFileSync(`/proc/${pid}/stat`, 'utf8'));
    const hwm = parseVmHwmKiB(readFileSync(`/proc/${pid}/status`, 'utf8')) ?? 0;
    return { cpuSeconds: ticks / CLOCK_TICKS, peakRssMiB: hwm / 1024 };
  } catch {
    return undefined;
  }
}

/** Resets a long-lived child's VmHWM to its current RSS, so the next peak is per scenario. Best effort. */
export function resetPeakRss(pid: number): void {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
  } catch {
    // not permitted or not Linux: the peak then covers the process's whole life
  }
}
