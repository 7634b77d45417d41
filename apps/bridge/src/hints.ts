import { AppSyncClientErrorCode } from '@tickerflow/appsync-protocol';
import { KAFKA_OPTION_HINTS } from '@tickerflow/kafka';
import { RelayErrorCode } from '@tickerflow/relay';

/** The bridge's hints by error code: what to change, in its own flags. */
export const BRIDGE_HINTS: Readonly<Record<string, string>> = Object.freeze({
  ...KAFKA_OPTION_HINTS,
  [AppSyncClientErrorCode.apiKeyRefused]: 'check --api-key / APPSYNC_API_KEY and that the key belongs to this API',
  [RelayErrorCode.rejectedInARow]: 'check --mutation against the API schema (bridge check validates it)',
  [RelayErrorCode.mutationUnauthorized]: 'check that the API key may run --mutation',
});
