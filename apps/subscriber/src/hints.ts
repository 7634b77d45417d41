import { AppSyncClientErrorCode } from '@tickerflow/appsync-protocol';

/** sub's hints by error code: what to change, in its own flags. */
export const SUB_HINTS: Readonly<Record<string, string>> = Object.freeze({
  [AppSyncClientErrorCode.apiKeyRefused]: 'check --api-key / APPSYNC_API_KEY and --url',
  [AppSyncClientErrorCode.apiKeyMissing]: 'pass --api-key or set APPSYNC_API_KEY',
  [AppSyncClientErrorCode.connectFailed]: 'is the endpoint up? check --url / --realtime-url',
});
