export * from './graphql';
export * from './messages';
export * from './parse';
export * from './urls';
export * from './filter';
export * from './local-endpoint';
export * from './limits';
export * from './client-error-codes';
