import type { Logger } from '@tickerflow/cli';
import { AppError, errorMessage } from '@tickerflow/core';
import { connectWithin, createKafka, ensureTopic } from '@tickerflow/kafka';
import { createPublisher } from '@tickerflow/appsync-client';
import { loadMutation, type MutationTemplate } from '@tickerflow/relay';
import { mutationOptions, type BridgeConfig } from './config';
import { probeAppSync, probeKey, probePublish, probeQuote } from './probe';

export interface CheckResult {
  readonly name: string;
  /** true passed, false failed, undefined skipped (an earlier check failed). */
  readonly ok: boolean | undefined;
  readonly detail: string;
}

/** `bridge check` failed: names the first failing check. Exit code 1. */
export class CheckFailedError extends AppError {
  constructor(first: CheckResult) {
    super('CHECK_FAILED', `check failed: ${first.name}: ${first.detail}`, { retriable: false });
  }
}

/**
 * Verifies, with the run settings, that Kafka is reachable, the topic exists, the group
 * can be described, AppSync accepts the key, AppSync's schema accepts the mutation
 * (validated first, without running it), and AppSync returns the mutation's data for one
 * published probe quote (ticker BRIDGE-CHECK: subscribers of every ticker receive it).
 * Reports each check as it ends.
 */
export async function runChecks(config: BridgeConfig, logger: Logger, report: (result: CheckResult) => void): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  const add = (result: CheckResult): void => {
    results.push(result);
    report(result);
  };

  const kafka = createKafka(config.kafka, logger.child({ component: 'kafkajs' }));
  const admin = kafka.admin();
  let kafkaOk = false;
  try {
    await connectWithin(kafka, admin);
    kafkaOk = true;
    add({ name: 'kafka', ok: true, detail: `connected to ${config.kafka.brokers.join(',')}` });
  } catch (error) {
    add({ name: 'kafka', ok: false, detail: errorMessage(error) });
  }
  if (kafkaOk) {
    try {
      const info = await ensureTopic(admin, config.kafka, { topic: config.topic, partitions: 1, create: false });
      add({ name: 'topic', ok: true, detail: `${config.topic} exists (${info.partitions} partitions)` });
    } catch (error) {
      add({ name: 'topic', ok: false, detail: errorMessage(error) });
    }
    try {
      const described = await admin.describeGroups([config.group]);
      const group = described.groups[0];
      const state = group?.state === 'Dead' ? 'new group' : `state ${group?.state ?? 'unknown'}, ${group?.members.length ?? 0} members`;
      add({ name: 'group', ok: true, detail: `${config.group} can be described (${state})` });
    } catch (error) {
      add({ name: 'group', ok: false, detail: errorMessage(error) });
    }
  } else {
    add({ name: 'topic', ok: undefined, detail: 'skipped: Kafka unreachable' });
    add({ name: 'group', ok: undefined, detail: 'skipped: Kafka unreachable' });
  }
  await admin.disconnect().catch(() => {});

  const publisher = createPublisher({ url: config.url, apiKey: config.apiKey, connections: 1, timeoutMs: config.requestTimeoutMs });
  try {
    const key = await probeKey(publisher);
    if (key.ok) {
      add({ name: 'appsync key', ok: true, detail: `accepted by ${config.url}` });
      let template: MutationTemplate | undefined;
      let from = '';
      try {
        const loaded = await loadMutation(mutationOptions(config), publisher);
        template = loaded.template;
        from = loaded.warning ?? `arguments from ${loaded.from}`;
      } catch (error) {
        add({ name: 'mutation', ok: false, detail: errorMessage(error) });
      }
      if (template) {
        const probe = await probeAppSync(publisher, template);
        if (!probe.ok) add({ name: 'mutation', ok: false, detail: errorMessage(probe.error) });
        else if (template.missingSelection.length > 0) {
          add({ name: 'mutation', ok: false, detail: `valid, but the selection set lacks ${template.missingSelection.join(', ')}: subscribers would not receive them` });
        } else if (template.quoteRules) {
          add({ name: 'mutation', ok: true, detail: `${template.field} is valid for the schema and selects every quote field (${from})` });
        } else add({ name: 'mutation', ok: true, detail: `${template.field} is valid for the schema and selects ${template.selection.join(' ') || 'nothing'} (${from})` });
        if (probe.ok) {
          const quote = probeQuote();
          const published = await probePublish(publisher, template, quote);
          add(
            published.ok
              ? { name: 'publish', ok: true, detail: `AppSync returned the mutation's data for a probe quote (ticker ${quote.ticker})` }
              : { name: 'publish', ok: false, detail: errorMessage(published.error) },
          );
        } else add({ name: 'publish', ok: undefined, detail: 'skipped: the mutation was not accepted' });
      } else add({ name: 'publish', ok: undefined, detail: 'skipped: no mutation' });
    } else {
      add({ name: 'appsync key', ok: false, detail: errorMessage(key.error) });
      add({ name: 'mutation', ok: undefined, detail: 'skipped: the key was not accepted' });
      add({ name: 'publish', ok: undefined, detail: 'skipped: the key was not accepted' });
    }
  } finally {
    await publisher.close().catch(() => {});
  }
  return results;
}

/** One line per check: `✓ name: detail`, `✗ ...`, `- ...` for skipped. */
export function formatCheck(result: CheckResult): string {
  const mark = result.ok === true ? '✓' : result.ok === false ? '✗' : '-';
  return `${mark} ${result.name}: ${result.detail}`;
}
