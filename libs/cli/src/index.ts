export * from './exit-codes';
export * from './run';
export * from './logger';
export * from './signals';
export * from './options';
export * from './hints';
