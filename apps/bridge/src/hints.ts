import { AppSyncClientErrorCode } from '@tickerflow/appsync-protocol';
import { ProbeErrorCode } from '@tickerflow/bridge-runtime/config';
import { KAFKA_OPTION_HINTS } from '@tickerflow/kafka';
import { MutationErrorCode, RelayErrorCode } from '@tickerflow/relay';

/** The bridge's hints by error code: what to change, in its own flags. */
export const BRIDGE_HINTS: Readonly<Record<string, string>> = Object.freeze({
  ...KAFKA_OPTION_HINTS,
  [AppSyncClientErrorCode.apiKeyRefused]: 'check --api-key / APPSYNC_API_KEY and that the key belongs to this API',
  [RelayErrorCode.rejectedInARow]: 'check --mutation against the API schema (bridge check validates it)',
  [RelayErrorCode.mutationUnauthorized]: 'check that the API key may run --mutation',
  [ProbeErrorCode.mutationNotAccepted]: 'check --mutation against the API schema',
  [MutationErrorCode.mutationInvalid]: 'give --mutation a mutation field name, or a mutation document using $<quoteField> variables',
  [MutationErrorCode.argumentMapInvalid]: "fix --map / BRIDGE_MAP, e.g. --map 'symbol=ticker,last=quote.price'",
  [MutationErrorCode.argumentMapUnknownArgument]: "--map may name only the arguments of --mutation's field",
  [MutationErrorCode.argumentMapWithDocument]: 'drop --map, or give --mutation a field name',
  [MutationErrorCode.schemaNeeded]: "pass --schema <file> with the API's SDL",
});

/** The Lambda's hints by error code: what to change, in the function's environment variables. */
export const LAMBDA_HINTS: Readonly<Record<string, string>> = Object.freeze({
  [AppSyncClientErrorCode.apiKeyRefused]: 'check APPSYNC_API_KEY and that the key belongs to this API',
  [RelayErrorCode.rejectedInARow]: 'check BRIDGE_MUTATION against the API schema',
  [RelayErrorCode.mutationUnauthorized]: 'check that the API key may run BRIDGE_MUTATION',
  [MutationErrorCode.mutationInvalid]: 'set BRIDGE_MUTATION to a mutation field name, or a mutation document using $<quoteField> variables',
  [MutationErrorCode.argumentMapInvalid]: "fix BRIDGE_MAP, e.g. BRIDGE_MAP='symbol=ticker,last=quote.price'",
  [MutationErrorCode.argumentMapUnknownArgument]: "BRIDGE_MAP may name only the arguments of BRIDGE_MUTATION's field",
  [MutationErrorCode.argumentMapWithDocument]: 'drop BRIDGE_MAP, or set BRIDGE_MUTATION to a field name',
  [MutationErrorCode.schemaNeeded]: "set BRIDGE_SCHEMA to an SDL file of the API's schema in the bundle",
});
