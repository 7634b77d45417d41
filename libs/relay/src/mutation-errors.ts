/**
 * Stable codes of the ConfigErrors thrown while setting up the mutation. Messages name no flag:
 * each app maps these codes to a hint naming its own setting (the bridge's --map, the
 * Lambda's BRIDGE_MAP).
 */
export const MutationErrorCode = Object.freeze({
  /** The argument map is not `<argument>=<record field>,...` (bad entry, repeated argument, empty). */
  argumentMapInvalid: 'ARGUMENT_MAP_INVALID',
  /** The argument map names arguments the mutation field does not take. */
  argumentMapUnknownArgument: 'ARGUMENT_MAP_UNKNOWN_ARGUMENT',
  /** An argument map came with a mutation document, which maps in its own arguments. */
  argumentMapWithDocument: 'ARGUMENT_MAP_WITH_DOCUMENT',
  /** The argument map needs the field's arguments, but the API refuses introspection and no schema was given. */
  schemaNeeded: 'MUTATION_SCHEMA_NEEDED',
  /** The mutation is neither a field name nor a document fit for tickerflow quotes. */
  mutationInvalid: 'MUTATION_INVALID',
} as const);
