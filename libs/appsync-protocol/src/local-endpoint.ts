import { QUOTE_FIELDS, QUOTE_GRAPHQL_TYPES, type QuoteField } from '@tickerflow/quote';

type NonNull<T extends string> = `${T}!`;

/** GraphQL types of `tickerlocal`'s arguments in the reference schema (every quote field, required), for variable definitions. */
export const TICKERLOCAL_ARGUMENT_TYPES: { readonly [F in QuoteField]: NonNull<(typeof QUOTE_GRAPHQL_TYPES)[F]> } = Object.freeze(
  Object.fromEntries(QUOTE_FIELDS.map((field) => [field, `${QUOTE_GRAPHQL_TYPES[field]}!`])) as {
    [F in QuoteField]: NonNull<(typeof QUOTE_GRAPHQL_TYPES)[F]>;
  },
);
