// A subpath of its own ('@tickerflow/appsync-protocol/sdl'): it loads graphql, which sub does not need.
import { GraphQLError, parse, type DefinitionNode } from 'graphql';
import { ConfigError } from '@tickerflow/core';

/** An SDL document's definitions and the names it declares. */
export interface ParsedSdl {
  readonly definitions: readonly DefinitionNode[];
  readonly declared: ReadonlySet<string>;
}

/**
 * Parses schema SDL as AppSync takes it, before AppSync's own scalars and directives are added
 * (each reader adds them its own way). Throws ConfigError naming `source`.
 */
export function parseSdl(sdl: string, source = 'schema'): ParsedSdl {
  let definitions: readonly DefinitionNode[];
  try {
    definitions = parse(sdl).definitions;
  } catch (error) {
    throw new ConfigError(`${source}: ${error instanceof GraphQLError ? error.message : String(error)}`);
  }
  const declared = new Set<string>();
  for (const definition of definitions) {
    if ('name' in definition && definition.name !== undefined) declared.add(definition.name.value);
  }
  return { definitions, declared };
}
