export { buildProgram, type ProgramIo } from './program';
export { configFromOptions, type TickerGenOptionValues } from './options';
