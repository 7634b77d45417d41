import { UsageError } from '@tickerflow/core';

/** One argument of the subscription field: the server keeps only events whose field `name` equals it. */
export interface FilterArgument {
  readonly name: string;
  /** The value as a GraphQL literal: `"BTC"`, `5`, `1.5`, `true`. */
  readonly literal: string;
}

const GRAPHQL_NAME = /^[_A-Za-z][_0-9A-Za-z]*$/;
const NUMBER = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$/;
// A comma starts a new pair only when `name=` follows, so values may hold commas.
const PAIR_SEPARATOR = /,(?=\s*[_A-Za-z][_0-9A-Za-z]*\s*=)/;

/** Whether `name` is a GraphQL name (a field or an argument). */
export function isGraphQLName(name: string): boolean {
  return GRAPHQL_NAME.test(name);
}

/**
 * The GraphQL literal for a value typed on the command line: numbers and true/false as they
 * are (valid for Int, Float, ID and Boolean arguments), a value in double quotes as that
 * string (`id="42"` for a String argument that holds digits), anything else as a string.
 */
export function graphqlLiteral(value: string): string {
  if (NUMBER.test(value) || value === 'true' || value === 'false') return value;
  if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) {
    try {
      const parsed: unknown = JSON.parse(value);
      if (typeof parsed === 'string') return JSON.stringify(parsed);
    } catch {
      // not a JSON string: taken literally below, quotes included
    }
  }
  return JSON.stringify(value);
}

/** Parses one `name=value`; throws UsageError (exit 2) naming the flag. */
export function parseFilterArgument(raw: string, flag = '--filter'): FilterArgument {
  const equals = raw.indexOf('=');
  const name = (equals < 0 ? raw : raw.slice(0, equals)).trim();
  const value = equals < 0 ? '' : raw.slice(equals + 1).trim();
  if (equals < 0 || value === '' || !isGraphQLName(name)) {
    throw new UsageError(`${flag} '${raw}' must be name=value with a GraphQL argument name (e.g. ${flag} ticker=BTC)`);
  }
  return { name, literal: graphqlLiteral(value) };
}

/** Collects `--filter` values: repeatable, each `name=value` or a comma list of them; one value per name. */
export function collectFilters(raw: string, previous: readonly FilterArgument[] | undefined): FilterArgument[] {
  const filters = [...(previous ?? [])];
  for (const pair of raw.split(PAIR_SEPARATOR)) {
    const filter = parseFilterArgument(pair.trim());
    if (filters.some((existing) => existing.name === filter.name)) {
      throw new UsageError(`--filter '${filter.name}' is given twice; AppSync filters on one value per argument`);
    }
    filters.push(filter);
  }
  return filters;
}

/** `name: literal, …` for the field's argument list. */
export function printArguments(args: readonly FilterArgument[]): string {
  return args.map((arg) => `${arg.name}: ${arg.literal}`).join(', ');
}
