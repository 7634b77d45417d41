/**
 * A price or size increment (tick size, lot size) held as an integer number of
 * units at a fixed number of decimals, so values can be computed in whole steps
 * and converted back without float noise: 0.1 + 0.2 style errors never reach a quote.
 */
export interface Increment {
  /** The increment as given, e.g. 0.05. */
  readonly size: number;
  /** Decimals needed to write it, e.g. 2. */
  readonly decimals: number;
  /** size * 10^decimals, an integer, e.g. 5. */
  readonly units: number;
}

const MAX_DECIMALS = 12;

/** Describes an increment; throws a RangeError for zero, negative or over-precise sizes. */
export function increment(size: number): Increment {
  if (!Number.isFinite(size) || size <= 0) throw new RangeError(`an increment must be > 0, got ${size}`);
  const decimals = decimalsOf(size);
  return { size, decimals, units: Math.round(size * 10 ** decimals) };
}

/** The number of decimals in a step like 0.01 (2), 1e-7 (7) or 5 (0). */
export function decimalsOf(step: number): number {
  for (let decimals = 0; decimals <= MAX_DECIMALS; decimals++) {
    const scaled = step * 10 ** decimals;
    if (Math.abs(scaled - Math.round(scaled)) < 1e-9 * Math.max(1, scaled)) return decimals;
  }
  throw new RangeError(`an increment needs at most ${MAX_DECIMALS} decimals, got ${step}`);
}

/** The nearest whole number of increments to `value`. */
export function toSteps(value: number, inc: Increment): number {
  return Math.round((value * 10 ** inc.decimals) / inc.units);
}

/**
 * Whole steps back to a number. `steps * units` is an exact integer and one
 * division by a power of ten is correctly rounded, so the result prints with at
 * most `decimals` decimals (e.g. 3 steps of 0.1 is 0.3, not 0.30000000000000004).
 */
export function fromSteps(steps: number, inc: Increment): number {
  return (steps * inc.units) / 10 ** inc.decimals;
}

/** `value` rounded to the nearest increment. */
export function roundToIncrement(value: number, inc: Increment): number {
  return fromSteps(toSteps(value, inc), inc);
}
