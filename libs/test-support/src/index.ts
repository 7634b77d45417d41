export * from './quote';
export * from './names';
export * from './kafka';
