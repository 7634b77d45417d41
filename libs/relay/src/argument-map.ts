import { ConfigError } from '@tickerflow/core';
import { MutationErrorCode } from './mutation-errors';

/** Mutation argument name -> the record field that fills it, a dotted path into nested records. */
export type ArgumentMap = Readonly<Record<string, string>>;

const NAME = /^[_A-Za-z][_0-9A-Za-z]*$/;
const INVALID = { code: MutationErrorCode.argumentMapInvalid };

/**
 * Parses an argument map such as `symbol=ticker,last=quote.last`: argument `symbol` is filled from the record's
 * `ticker`, `last` from `quote.last` (a field of a nested object). Throws ConfigError (ARGUMENT_MAP_INVALID) on bad syntax.
 */
export function parseArgumentMap(text: string): ArgumentMap {
  const map: Record<string, string> = {};
  for (const entry of text.split(',').map((part) => part.trim()).filter((part) => part !== '')) {
    const [argument = '', path = '', ...rest] = entry.split('=').map((part) => part.trim());
    if (rest.length > 0 || !NAME.test(argument) || path === '' || path.split('.').some((segment) => segment === '')) {
      throw new ConfigError(`argument map: expected <argument>=<record field>[.<nested field>...], comma-separated; got '${entry}'`, INVALID);
    }
    if (argument in map) throw new ConfigError(`argument map names argument '${argument}' twice`, INVALID);
    map[argument] = path;
  }
  if (Object.keys(map).length === 0) throw new ConfigError(`argument map is empty; expected e.g. 'symbol=ticker,last=price'`, INVALID);
  return Object.freeze(map);
}

/** The value at a dotted path of a parsed record (undefined when any step is missing). */
export function valueAtPath(record: unknown, path: string): unknown {
  let current = record;
  for (const segment of path.split('.')) {
    if (typeof current !== 'object' || current === null || Array.isArray(current)) return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}
