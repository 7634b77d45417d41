export * from './server';
export { DEFAULT_SCHEMA_SDL, loadAppSyncSchema, type AppSyncSchema } from './schema';
export { createRealtimeCore, type RealtimeCore, type RealtimeSocket, type ConnectAuth, type RealtimeOptions, type RealtimeStats, type Timers, CONNECTION_ERROR_CLOSE_CODE } from './realtime';
export { createDocumentCache, type DocumentCache, type AppSyncGraphQLError } from './documents';
export { createGraphQLHttpHandler, type HttpAnswer, type GraphQLHttpHandler } from './graphql-http';
export { seededRandom, type FaultOptions } from './faults';
export { NO_CREDENTIALS_MESSAGE, NOT_AUTHORIZED_MESSAGE } from './auth';
export { REALTIME_PATHS } from './ws-adapter';
export { silentLogger, type ServerLogger } from './logger';
