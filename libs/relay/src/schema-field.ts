import {
  buildASTSchema,
  buildClientSchema,
  getIntrospectionQuery,
  getNamedType,
  isLeafType,
  isNonNullType,
  isObjectType,
  Kind,
  parse,
  visit,
  type GraphQLInputType,
  type GraphQLSchema,
  type IntrospectionQuery,
} from 'graphql';
import { ConfigError } from '@tickerflow/core';
import { parseSdl } from '@tickerflow/appsync-protocol/sdl';
import type { GraphQLRequest } from './types';

/** What the relay needs to know of a mutation field: its arguments and the result fields subscribers get. */
export interface MutationField {
  readonly name: string;
  readonly arguments: readonly { readonly name: string; readonly type: GraphQLInputType }[];
  /** The return type's scalar and enum fields (empty when the field returns a scalar). */
  readonly selection: readonly string[];
}

/** The standard introspection query, as one request (AppSync answers it unless introspection is turned off). */
export const INTROSPECTION_REQUEST: GraphQLRequest = Object.freeze({
  query: getIntrospectionQuery({ descriptions: false }),
  operationName: 'IntrospectionQuery',
});

const BUILT_IN_SCALARS = new Set(['String', 'Int', 'Float', 'Boolean', 'ID']);

/**
 * A schema from SDL as AppSync takes it: AppSync's scalars (`AWSDateTime`, ...) and directives
 * (`@aws_subscribe`, ...) need no declaration, so every type the SDL uses but does not declare
 * is taken for a scalar, and directives are not checked. Throws ConfigError naming `source`.
 */
export function schemaFromSdl(sdl: string, source = 'schema'): GraphQLSchema {
  const { definitions, declared } = parseSdl(sdl, source);
  const used = new Set<string>();
  for (const definition of definitions) {
    visit(definition, {
      NamedType(node) {
        used.add(node.name.value);
      },
    });
  }
  const undeclared = [...used].filter((name) => !declared.has(name) && !BUILT_IN_SCALARS.has(name));
  const scalars = undeclared.length === 0 ? [] : parse(undeclared.map((name) => `scalar ${name}`).join('\n')).definitions;
  try {
    return buildASTSchema({ kind: Kind.DOCUMENT, definitions: [...scalars, ...definitions] }, { assumeValidSDL: true });
  } catch (error) {
    throw new ConfigError(`${source}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** A schema from an introspection answer's `data`; undefined when it holds no `__schema`. */
export function schemaFromIntrospection(data: unknown): GraphQLSchema | undefined {
  if (typeof data !== 'object' || data === null || !('__schema' in data)) return undefined;
  try {
    return buildClientSchema(data as IntrospectionQuery, { assumeValid: true });
  } catch {
    return undefined;
  }
}

/** The mutation field `name` of `schema`; ConfigError when the schema has no such mutation field. */
export function mutationField(schema: GraphQLSchema, name: string, source = 'the schema'): MutationField {
  const fields = schema.getMutationType()?.getFields() ?? {};
  const field = fields[name];
  if (field === undefined) {
    const known = Object.keys(fields);
    throw new ConfigError(
      `${source} has no mutation field '${name}' (${known.length === 0 ? 'it has no Mutation type' : `mutation fields: ${known.join(', ')}`})`,
    );
  }
  const result = getNamedType(field.type);
  const selection = isObjectType(result)
    ? Object.values(result.getFields())
        .filter((child) => isLeafType(getNamedType(child.type)) && !child.args.some((arg) => isNonNullType(arg.type) && arg.defaultValue === undefined))
        .map((child) => child.name)
    : [];
  return { name, arguments: field.args.map((arg) => ({ name: arg.name, type: arg.type })), selection };
}
