/** Stable codes of libs/appsync-client's errors; each app maps them to a hint naming its own flags. */
export const AppSyncClientErrorCode = Object.freeze({
  /** HTTP 401/403 or an auth connection_error: the endpoint refused the API key. */
  apiKeyRefused: 'API_KEY_REFUSED',
  /** No API key was given to a client that needs one. */
  apiKeyMissing: 'API_KEY_MISSING',
  /** The realtime endpoint could not be reached, after every reconnection attempt. */
  connectFailed: 'CONNECT_FAILED',
} as const);
