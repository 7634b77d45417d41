import { QUOTE_FIELDS, QUOTE_GRAPHQL_TYPES, type QuoteField } from '@tickerflow/quote';

/**
 * Where appsync-local listens by default and the fixed development key it accepts.
 * Every tool defaults to these, so the local pipeline runs with no flags; they live
 * in this light, pure lib so that a CLI's --help need not load the server.
 */
export const LOCAL_API_KEY = 'da2-tickerflowlocaldevkey000000';
export const LOCAL_HOST = '127.0.0.1';
export const LOCAL_PORT = 4000;
export const LOCAL_GRAPHQL_URL = `http://${LOCAL_HOST}:${LOCAL_PORT}/graphql`;

/** The mutation of the reference schema (schema/tickerlocal.graphql) that publishes one quote. */
export const TICKERLOCAL_MUTATION = 'tickerlocal';

type NonNull<T extends string> = `${T}!`;

/** GraphQL types of `tickerlocal`'s arguments in the reference schema (every quote field, required), for variable definitions. */
export const TICKERLOCAL_ARGUMENT_TYPES: { readonly [F in QuoteField]: NonNull<(typeof QUOTE_GRAPHQL_TYPES)[F]> } = Object.freeze(
  Object.fromEntries(QUOTE_FIELDS.map((field) => [field, `${QUOTE_GRAPHQL_TYPES[field]}!`])) as {
    [F in QuoteField]: NonNull<(typeof QUOTE_GRAPHQL_TYPES)[F]>;
  },
);
