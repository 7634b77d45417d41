import { fetchSubscriptionShape } from '@tickerflow/appsync-client';
import { errorMessage } from '@tickerflow/core';
import { withFields, type SubConfig } from './config';

/**
 * Without --fields, selects the subscription field's scalar fields as the API's schema
 * declares them (introspection over HTTP), so `sub` fits a schema that is not tickerflow's.
 * When the API cannot say (introspection off, an older endpoint), keeps tickerflow's quote
 * fields and tells `note` why.
 */
export async function withSchemaFields(config: SubConfig, signal: AbortSignal, note: (text: string) => void): Promise<SubConfig> {
  if (!config.fieldsFromSchema || config.subscriptions.every((spec) => spec.args === undefined)) return config;
  try {
    const shape = await fetchSubscriptionShape({
      url: config.url,
      apiKey: config.apiKey,
      field: config.subscriptionField,
      timeoutMs: config.ackTimeoutMs,
      signal,
    });
    if (shape === undefined) {
      note(`the schema has no subscription field '${config.subscriptionField}' returning an object; selecting tickerflow's quote fields`);
      return config;
    }
    note(`selecting ${config.subscriptionField} { ${shape.scalarFields.join(' ')} } from the schema`);
    return withFields(config, shape.scalarFields);
  } catch (error) {
    note(`${errorMessage(error)}; selecting tickerflow's quote fields (pass --fields to choose)`);
    return config;
  }
}
