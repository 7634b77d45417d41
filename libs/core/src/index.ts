export * from './errors';
export * from './parse';
export * from './timing';
export * from './defaults';
export * from './retry';
