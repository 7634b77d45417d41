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

/** GraphQL types of `tickerlocal`'s arguments in the reference schema, for variable definitions. */
export const TICKERLOCAL_ARGUMENT_TYPES = Object.freeze({
  id: 'String!',
  ticker: 'String!',
  seq: 'Int!',
  price: 'Float!',
  bid: 'Float!',
  ask: 'Float!',
  size: 'Float!',
  matchtime: 'AWSDateTime!',
  ts: 'Float!',
} as const);
