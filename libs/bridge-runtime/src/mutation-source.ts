import type { Logger } from '@tickerflow/cli';
import { errorMessage } from '@tickerflow/core';
import { loadMutation, type MutationTemplate, type Publisher } from '@tickerflow/relay';
import { mutationOptions, type BridgeConfig } from './config';

/**
 * `bridge run`'s mutation: the field's arguments from the schema file or the API (waiting while it is
 * unreachable, until `signal` aborts: MutationLoadAborted), logged with where they came from.
 */
export async function loadBridgeMutation(config: BridgeConfig, publisher: Publisher, signal: AbortSignal, log: Logger): Promise<MutationTemplate> {
  const loaded = await loadMutation(mutationOptions(config), publisher, {
    signal,
    onWaiting: (error, attempt) => {
      if (attempt === 0) log.warn({ error: errorMessage(error) }, "AppSync is not answering yet; waiting for it to read the mutation's arguments");
    },
  });
  const { template } = loaded;
  if (loaded.warning !== undefined) log.warn(loaded.warning);
  log.info(
    { mutation: template.field, from: loaded.from, selection: template.selection, quoteRules: template.quoteRules },
    template.quoteRules ? 'relaying tickerflow quotes' : "relaying records as the mutation's arguments",
  );
  if (template.missingSelection.length > 0) {
    log.warn(
      { missing: template.missingSelection },
      "the mutation's selection set lacks quote fields: subscribers only receive fields the mutation selects",
    );
  }
  return template;
}
