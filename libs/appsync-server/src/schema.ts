import { readFileSync } from 'node:fs';
import {
  GraphQLError,
  GraphQLScalarType,
  Kind,
  buildASTSchema,
  parse,
  validateSchema,
  valueFromASTUntyped,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLResolveInfo,
  type GraphQLSchema,
  type ValueNode,
} from 'graphql';
import { ConfigError } from '@tickerflow/core';
import { parseSdl } from '@tickerflow/appsync-protocol/sdl';

/**
 * The reference design's API, schema/tickerlocal.graphql: quotes published by the `tickerlocal`
 * mutation (a None data source: the result is the arguments) and delivered to `tickerlocal(ticker)`
 * subscribers. Read from the repository when running sources; tools/build-app.mjs inlines the
 * file's text into the bundles, which read no file.
 */
export const DEFAULT_SCHEMA_SDL: string = readFileSync(new URL('../../../schema/tickerlocal.graphql', import.meta.url), 'utf8');

/** AppSync's built-in directives and scalars, added to a schema unless it declares them itself. */
const APPSYNC_PRELUDE = `
directive @aws_subscribe(mutations: [String]) on FIELD_DEFINITION
directive @aws_publish(subscriptions: [String]) on FIELD_DEFINITION
directive @aws_api_key on FIELD_DEFINITION | OBJECT
directive @aws_iam on FIELD_DEFINITION | OBJECT
directive @aws_oidc on FIELD_DEFINITION | OBJECT
directive @aws_lambda on FIELD_DEFINITION | OBJECT
directive @aws_cognito_user_pools(cognito_groups: [String]) on FIELD_DEFINITION | OBJECT
directive @aws_auth(cognito_groups: [String]) on FIELD_DEFINITION
directive @canonical on OBJECT
directive @hidden on OBJECT | FIELD_DEFINITION
directive @renamed(to: String!) on OBJECT | FIELD_DEFINITION
scalar AWSDate
scalar AWSTime
scalar AWSDateTime
scalar AWSTimestamp
scalar AWSEmail
scalar AWSJSON
scalar AWSURL
scalar AWSPhone
scalar AWSIPAddress
`;

const STRING_SCALARS = ['AWSDate', 'AWSTime', 'AWSDateTime', 'AWSEmail', 'AWSURL', 'AWSPhone', 'AWSIPAddress'];

/** Execution context through which mutation fields report their results for publishing. */
export interface MutationContext {
  onMutationField(info: GraphQLResolveInfo, result: Record<string, unknown>): void;
}

/** A schema ready to serve, with the subscription fields each mutation field triggers. */
export interface AppSyncSchema {
  readonly schema: GraphQLSchema;
  /** Mutation field name → subscription field names whose `@aws_subscribe` lists it. */
  readonly triggers: ReadonlyMap<string, readonly string[]>;
}

/**
 * Builds an AppSync schema from SDL: adds AppSync's directives and scalars, makes every
 * mutation field a None data source (its result is its arguments) and every query field
 * answer null, and reads each subscription field's `@aws_subscribe(mutations: [...])`.
 * Throws ConfigError naming what is wrong.
 */
export function loadAppSyncSchema(sdl: string = DEFAULT_SCHEMA_SDL, source = 'schema'): AppSyncSchema {
  const { definitions, declared } = parseSdl(sdl, source);
  const prelude = parse(APPSYNC_PRELUDE).definitions.filter(
    (definition) => !('name' in definition && definition.name !== undefined && declared.has(definition.name.value)),
  );
  let schema: GraphQLSchema;
  try {
    schema = buildASTSchema({ kind: Kind.DOCUMENT, definitions: [...prelude, ...definitions] });
  } catch (error) {
    throw new ConfigError(`${source}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const problems = validateSchema(schema);
  if (problems.length > 0) throw new ConfigError(`${source}: ${problems.map((p) => p.message).join('; ')}`);
  if (schema.getQueryType() === undefined || schema.getQueryType() === null) {
    throw new ConfigError(`${source}: AppSync requires a Query type`);
  }

  for (const name of STRING_SCALARS) configureScalar(schema, name, stringScalar(name));
  configureScalar(schema, 'AWSTimestamp', timestampScalar());
  configureScalar(schema, 'AWSJSON', jsonScalar());

  const mutation = schema.getMutationType();
  for (const field of Object.values(mutation?.getFields() ?? {})) {
    // None data source: the result is the arguments. Executions that want to publish pass a
    // context with `onMutationField`, called in execution order (mutation fields run serially).
    (field as GraphQLField<unknown, unknown>).resolve = (_source, args, context, info) => {
      (context as Partial<MutationContext> | undefined)?.onMutationField?.(info, args);
      return args;
    };
  }
  for (const field of Object.values(schema.getQueryType()?.getFields() ?? {})) {
    (field as GraphQLField<unknown, unknown>).resolve = () => null;
  }
  return { schema, triggers: readTriggers(schema.getSubscriptionType(), mutation, source) };
}

function readTriggers(
  subscription: GraphQLObjectType | null | undefined,
  mutation: GraphQLObjectType | null | undefined,
  source: string,
): Map<string, string[]> {
  const triggers = new Map<string, string[]>();
  for (const field of Object.values(subscription?.getFields() ?? {})) {
    const directive = field.astNode?.directives?.find((d) => d.name.value === 'aws_subscribe');
    const argument = directive?.arguments?.find((a) => a.name.value === 'mutations');
    if (argument === undefined) continue;
    const names = valueFromASTUntyped(argument.value);
    for (const name of Array.isArray(names) ? names : [names]) {
      if (typeof name !== 'string') continue;
      if (mutation?.getFields()[name] === undefined) {
        throw new ConfigError(`${source}: Subscription.${field.name} @aws_subscribe names mutation '${name}', which the Mutation type does not have`);
      }
      const list = triggers.get(name) ?? [];
      list.push(field.name);
      triggers.set(name, list);
    }
  }
  return triggers;
}

interface ScalarBehaviour {
  serialize(value: unknown): unknown;
  parseValue(value: unknown): unknown;
  parseLiteral(node: ValueNode): unknown;
}

function configureScalar(schema: GraphQLSchema, name: string, behaviour: ScalarBehaviour): void {
  const type = schema.getType(name);
  // buildASTSchema gives custom scalars identity behaviour; give AppSync's their input checks.
  if (type instanceof GraphQLScalarType) Object.assign(type, behaviour);
}

function stringScalar(name: string): ScalarBehaviour {
  const check = (value: unknown): string => {
    if (typeof value !== 'string') throw new GraphQLError(`${name} must be a string, got ${JSON.stringify(value)}`);
    return value;
  };
  return {
    serialize: (value) => value,
    parseValue: check,
    parseLiteral: (node) => {
      if (node.kind !== Kind.STRING) throw new GraphQLError(`${name} must be a string literal`, { nodes: node });
      return node.value;
    },
  };
}

function timestampScalar(): ScalarBehaviour {
  const check = (value: unknown): number => {
    if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
      throw new GraphQLError(`AWSTimestamp must be a whole number of seconds, got ${JSON.stringify(value)}`);
    }
    return value;
  };
  return {
    serialize: (value) => value,
    parseValue: check,
    parseLiteral: (node) => {
      if (node.kind !== Kind.INT) throw new GraphQLError('AWSTimestamp must be an integer literal', { nodes: node });
      return Number(node.value);
    },
  };
}

function jsonScalar(): ScalarBehaviour {
  const check = (value: unknown): string => {
    if (typeof value !== 'string') throw new GraphQLError(`AWSJSON must be a JSON string, got ${JSON.stringify(value)}`);
    try {
      JSON.parse(value);
    } catch {
      throw new GraphQLError(`AWSJSON must be valid JSON text, got ${JSON.stringify(value.slice(0, 40))}`);
    }
    return value;
  };
  return {
    serialize: (value) => (typeof value === 'string' ? value : JSON.stringify(value)),
    parseValue: check,
    parseLiteral: (node) => {
      if (node.kind !== Kind.STRING) throw new GraphQLError('AWSJSON must be a string literal', { nodes: node });
      return check(node.value);
    },
  };
}
