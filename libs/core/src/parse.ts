import { UsageError } from './errors';

/**
 * Parsers for option values. Each takes the option's name so the error says which
 * option was wrong, and throws a UsageError with the value that arrived.
 */
export function parseNonNegativeNumber(name: string, raw: string): number {
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value) || value < 0) {
    throw new UsageError(`${name} must be a number >= 0, got '${raw}'`);
  }
  return value;
}

export function parsePositiveInteger(name: string, raw: string): number {
  const value = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(value) || value < 1) {
    throw new UsageError(`${name} must be a whole number >= 1, got '${raw}'`);
  }
  return value;
}

export function parseNonNegativeInteger(name: string, raw: string): number {
  const value = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(value)) {
    throw new UsageError(`${name} must be a whole number >= 0, got '${raw}'`);
  }
  return value;
}

/** Parses a fraction in [0, 1], e.g. a failure rate. */
export function parseFraction(name: string, raw: string): number {
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value) || value < 0 || value > 1) {
    throw new UsageError(`${name} must be a number from 0 to 1, got '${raw}'`);
  }
  return value;
}

/** Splits a comma list, trimming blanks; an empty list is an error. */
export function parseList(name: string, raw: string): string[] {
  const items = raw
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
  if (items.length === 0) throw new UsageError(`${name} must list at least one value, got '${raw}'`);
  return items;
}
