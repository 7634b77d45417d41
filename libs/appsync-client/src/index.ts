export * from './publisher';
export * from './realtime-client';
export * from './realtime-types';
export * from './sequence-tracker';
export * from './latency-recorder';
export { maskSecret, maskedKey, isAuthFailure, redactFrame } from './auth-failure';
export * from './introspection';
