import {
  GraphQLNonNull,
  Kind,
  getNullableType,
  isLeafType,
  isNonNullType,
  isObjectType,
  valueFromAST,
  type DocumentNode,
  type FieldNode,
  type GraphQLInputType,
  type GraphQLLeafType,
  type GraphQLObjectType,
  type OperationDefinitionNode,
  type TypeNode,
  type ValueNode,
} from 'graphql';
import type { AppSyncSchema } from './schema';

/**
 * A mutation document compiled once into what executing it on None data sources amounts to:
 * per top-level field, its arguments (constants or variables) and the leaf fields it selects.
 * Running a plan does what graphql-js `execute` + `publishedResult` would for that document,
 * without walking the AST per request (graphql-js spends ~45-80 µs per aliased field there).
 *
 * Only the plain case is planned: one mutation operation, top-level fields of the Mutation type
 * returning an object type, leaf (scalar/enum, not list) sub-fields, no fragments, no directives,
 * no variables nested inside literals, scalar/enum variables. Anything else compiles to
 * undefined, and a request whose values are anything but valid makes {@link MutationPlan.run}
 * return undefined: the caller then runs graphql-js, so every error reads exactly as before.
 */
export interface MutationPlan {
  /** The response `data` and the events to publish, in document order; undefined = use graphql-js. */
  run(variables: Readonly<Record<string, unknown>> | undefined): PlannedResult | undefined;
}

export interface PlannedResult {
  readonly data: Record<string, unknown>;
  /** One per top-level field, in execution order: mutation field name and its published result. */
  readonly events: readonly { readonly fieldName: string; readonly result: Record<string, unknown> }[];
}

interface VariablePlan {
  readonly name: string;
  readonly nonNull: boolean;
  readonly leaf: GraphQLLeafType;
  /** The coerced default (`$x: Int = 3`), or undefined when the definition has none. */
  readonly defaultValue: unknown;
}

type ArgumentPlan =
  | { readonly kind: 'constant'; readonly name: string; readonly value: unknown }
  | { readonly kind: 'variable'; readonly name: string; readonly variable: number; readonly nonNull: boolean; readonly defaultValue: unknown };

/** A variable the request did not provide (and that has no default): absent, not null. */
const MISSING: unique symbol = Symbol('missing');

interface SubFieldPlan {
  readonly responseKey: string;
  /** Field name on the result type; undefined for `__typename`. */
  readonly name: string | undefined;
  readonly nonNull: boolean;
  readonly leaf: GraphQLLeafType | undefined;
}

interface FieldPlan {
  readonly responseKey: string;
  readonly fieldName: string;
  readonly typeName: string;
  readonly args: readonly ArgumentPlan[];
  /** Unique response keys in first-appearance order (duplicates select the same field, by validation). */
  readonly subFields: readonly SubFieldPlan[];
  /** Unique field names the published result carries, in first-appearance order. */
  readonly published: readonly string[];
}

const hasOwn = (object: object, key: string): boolean => Object.prototype.hasOwnProperty.call(object, key);

/** Compiles the operation of an already validated document; undefined when the plan does not cover it. */
export function compileMutationPlan(api: AppSyncSchema, document: DocumentNode, operation: OperationDefinitionNode): MutationPlan | undefined {
  if (operation.operation !== 'mutation' || (operation.directives?.length ?? 0) > 0) return undefined;
  if (document.definitions.some((definition) => definition.kind === Kind.FRAGMENT_DEFINITION)) return undefined;
  const mutation = api.schema.getMutationType();
  if (mutation === null || mutation === undefined) return undefined;

  const variables: VariablePlan[] = [];
  for (const definition of operation.variableDefinitions ?? []) {
    if ((definition.directives?.length ?? 0) > 0) return undefined;
    const type = typeFromNode(api, definition.type);
    if (type === undefined) return undefined;
    const leaf = getNullableType(type);
    if (!isLeafType(leaf)) return undefined;
    let defaultValue: unknown;
    if (definition.defaultValue !== undefined) {
      defaultValue = valueFromAST(definition.defaultValue, type);
      if (defaultValue === undefined) return undefined;
    }
    variables.push({ name: definition.variable.name.value, nonNull: isNonNullType(type), leaf, defaultValue });
  }

  const variableIndex = new Map(variables.map((variable, index) => [variable.name, index]));
  const fields: FieldPlan[] = [];
  const responseKeys = new Set<string>();
  for (const selection of operation.selectionSet.selections) {
    if (selection.kind !== Kind.FIELD || (selection.directives?.length ?? 0) > 0) return undefined;
    const responseKey = selection.alias?.value ?? selection.name.value;
    if (responseKeys.has(responseKey)) return undefined;
    responseKeys.add(responseKey);
    const field = compileField(mutation, selection, responseKey, variableIndex);
    if (field === undefined) return undefined;
    fields.push(field);
  }
  if (fields.length === 0) return undefined;
  return { run: (inputs) => runPlan(variables, fields, inputs) };
}

function typeFromNode(api: AppSyncSchema, node: TypeNode): GraphQLInputType | undefined {
  if (node.kind === Kind.NON_NULL_TYPE) {
    const inner = typeFromNode(api, node.type);
    return inner === undefined || isNonNullType(inner) ? undefined : new GraphQLNonNull(inner);
  }
  if (node.kind === Kind.LIST_TYPE) return undefined;
  const type = api.schema.getType(node.name.value);
  return type !== undefined && type !== null && isLeafType(type) ? type : undefined;
}

function compileField(mutation: GraphQLObjectType, node: FieldNode, responseKey: string, variables: ReadonlyMap<string, number>): FieldPlan | undefined {
  const field = mutation.getFields()[node.name.value];
  if (field === undefined) return undefined;
  const resultType = getNullableType(field.type);
  if (!isObjectType(resultType) || node.selectionSet === undefined) return undefined;

  const args: ArgumentPlan[] = [];
  for (const definition of field.args) {
    const argument = node.arguments?.find((candidate) => candidate.name.value === definition.name);
    if (argument === undefined) {
      if (definition.defaultValue !== undefined) args.push({ kind: 'constant', name: definition.name, value: definition.defaultValue });
      else if (isNonNullType(definition.type)) return undefined;
      continue;
    }
    if (argument.value.kind === Kind.VARIABLE) {
      const variable = variables.get(argument.value.name.value);
      if (variable === undefined) return undefined;
      args.push({
        kind: 'variable',
        name: definition.name,
        variable,
        nonNull: isNonNullType(definition.type),
        defaultValue: definition.defaultValue,
      });
      continue;
    }
    if (containsVariable(argument.value)) return undefined;
    const value = valueFromAST(argument.value, definition.type);
    if (value === undefined) return undefined;
    args.push({ kind: 'constant', name: definition.name, value });
  }

  const subFields: SubFieldPlan[] = [];
  const published: string[] = [];
  const resultFields = resultType.getFields();
  for (const selection of node.selectionSet.selections) {
    if (selection.kind !== Kind.FIELD || (selection.directives?.length ?? 0) > 0 || selection.selectionSet !== undefined) return undefined;
    const name = selection.name.value;
    const key = selection.alias?.value ?? name;
    if (name === '__typename') {
      if (!subFields.some((sub) => sub.responseKey === key)) subFields.push({ responseKey: key, name: undefined, nonNull: true, leaf: undefined });
      continue;
    }
    const definition = resultFields[name];
    if (definition === undefined || definition.args.length > 0) return undefined;
    const leaf = getNullableType(definition.type);
    if (!isLeafType(leaf)) return undefined;
    if (!subFields.some((sub) => sub.responseKey === key)) subFields.push({ responseKey: key, name, nonNull: isNonNullType(definition.type), leaf });
    if (!published.includes(name)) published.push(name);
  }
  return { responseKey, fieldName: field.name, typeName: resultType.name, args, subFields, published };
}

function containsVariable(node: ValueNode): boolean {
  if (node.kind === Kind.VARIABLE) return true;
  if (node.kind === Kind.LIST) return node.values.some(containsVariable);
  if (node.kind === Kind.OBJECT) return node.fields.some((field) => containsVariable(field.value));
  return false;
}

/**
 * Coerces the variables as graphql-js `getVariableValues` does for leaf types, into an array in
 * definition order (MISSING where graphql-js leaves the name out); undefined on any problem.
 */
function coerceVariables(plans: readonly VariablePlan[], inputs: Readonly<Record<string, unknown>> | undefined): unknown[] | undefined {
  const coerced: unknown[] = new Array<unknown>(plans.length);
  for (let i = 0; i < plans.length; i += 1) {
    const plan = plans[i] as VariablePlan;
    const value = inputs === undefined ? undefined : inputs[plan.name];
    if (value === undefined && (inputs === undefined || !hasOwn(inputs, plan.name))) {
      if (plan.defaultValue !== undefined) coerced[i] = plan.defaultValue;
      else if (plan.nonNull) return undefined;
      else coerced[i] = MISSING;
      continue;
    }
    if (value === undefined) return undefined; // present but undefined (not from JSON): graphql-js decides
    if (value === null) {
      if (plan.nonNull) return undefined;
      coerced[i] = null;
      continue;
    }
    let parsed: unknown;
    try {
      parsed = plan.leaf.parseValue(value);
    } catch {
      return undefined;
    }
    if (parsed === undefined) return undefined;
    coerced[i] = parsed;
  }
  return coerced;
}

function runPlan(variables: readonly VariablePlan[], fields: readonly FieldPlan[], inputs: Readonly<Record<string, unknown>> | undefined): PlannedResult | undefined {
  const coerced = coerceVariables(variables, inputs);
  if (coerced === undefined) return undefined;
  const data: Record<string, unknown> = {};
  const events: { fieldName: string; result: Record<string, unknown> }[] = [];
  for (const field of fields) {
    const args: Record<string, unknown> = {};
    for (const argument of field.args) {
      if (argument.kind === 'constant') {
        args[argument.name] = argument.value;
        continue;
      }
      const value = coerced[argument.variable];
      if (value === MISSING) {
        if (argument.defaultValue !== undefined) args[argument.name] = argument.defaultValue;
        else if (argument.nonNull) return undefined;
        continue;
      }
      if (argument.nonNull && (value === null || value === undefined)) return undefined;
      args[argument.name] = value;
    }
    const response: Record<string, unknown> = {};
    for (const sub of field.subFields) {
      if (sub.name === undefined) {
        response[sub.responseKey] = field.typeName;
        continue;
      }
      const value = args[sub.name];
      if (value === null || value === undefined) {
        if (sub.nonNull) return undefined;
        response[sub.responseKey] = null;
        continue;
      }
      let serialized: unknown;
      try {
        serialized = sub.leaf?.serialize(value);
      } catch {
        return undefined;
      }
      if (serialized === undefined) return undefined;
      response[sub.responseKey] = serialized;
    }
    const result: Record<string, unknown> = {};
    for (const name of field.published) result[name] = args[name] ?? null;
    data[field.responseKey] = response;
    events.push({ fieldName: field.fieldName, result });
  }
  return { data, events };
}
