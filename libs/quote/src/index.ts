export * from './quote';
export * from './validate';
export * from './price-model';
export * from './increment';
export { createRandom, hashSeed, type Random } from './random';
