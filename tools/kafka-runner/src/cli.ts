import { open, stat } from 'node:fs/promises';
import { AppError, ConfigError, UsageError, errorMessage, sleep } from '@tickerflow/core';
import { USAGE, parseArgs, type KafkaCommand } from './args';
import { brokerLogFile, brokerStatus, startBroker, stopBroker, type BrokerStatus } from './broker';

/** Exit codes of tools/kafka; 3 is `status` of a broker that is not running. */
export const KafkaExitCode = { ok: 0, failure: 1, usage: 2, notRunning: 3 } as const;

/** Runs one tools/kafka command; returns the exit code. Errors become ONE line on stderr. */
export async function runKafkaCli(argv: readonly string[]): Promise<number> {
  const verbose = argv.includes('--verbose');
  try {
    return await execute(parseArgs(argv.filter((arg) => arg !== '--verbose')));
  } catch (error) {
    process.stderr.write(`${formatError(error, verbose)}\n`);
    return error instanceof UsageError || error instanceof ConfigError ? KafkaExitCode.usage : KafkaExitCode.failure;
  }
}

async function execute(command: KafkaCommand): Promise<number> {
  switch (command.command) {
    case 'help':
      process.stdout.write(USAGE);
      return KafkaExitCode.ok;
    case 'start': {
      const { brokers } = await startBroker();
      process.stdout.write(`${brokers}\n`);
      return KafkaExitCode.ok;
    }
    case 'stop':
      await stopBroker();
      return KafkaExitCode.ok;
    case 'status': {
      const status = await brokerStatus();
      process.stdout.write(command.json ? `${JSON.stringify(status)}\n` : `${describeStatus(status)}\n`);
      return status.running ? KafkaExitCode.ok : KafkaExitCode.notRunning;
    }
    case 'logs':
      return printLog(brokerLogFile(), command.follow, command.lines);
  }
}

/** One line: `running localhost:9092 pid=123 version=3.9.1 ...` or `not running localhost:9092`. */
export function describeStatus(status: BrokerStatus): string {
  if (!status.running) return `not running ${status.brokers} data=${status.dataDir}`;
  if (!status.managed) return `running ${status.brokers} (not started by tools/kafka)`;
  return [
    'running',
    status.brokers,
    `pid=${status.pid}`,
    `version=${status.version}`,
    `started-by=${status.startedBy}`,
    `since=${status.startedAt}`,
    `data=${status.dataDir}`,
  ].join(' ');
}

function formatError(error: unknown, verbose: boolean): string {
  let line = `kafka: ${errorMessage(error).replace(/\s*\n\s*/g, ' ').trim()}`;
  if (error instanceof AppError && error.hint) line += ` (hint: ${error.hint})`;
  if (verbose && error instanceof Error && error.stack) line += `\n${error.stack}`;
  return line;
}

async function printLog(file: string, follow: boolean, lines: number | undefined): Promise<number> {
  let size: number;
  try {
    size = (await stat(file)).size;
  } catch {
    throw new AppError('NO_BROKER_LOG', `no broker log at ${file} yet`, { hint: 'run tools/kafka start first' });
  }
  const handle = await open(file, 'r');
  try {
    const text = (await handle.readFile()).toString('utf8');
    const shown = lines === undefined ? text : lastLines(text, lines);
    process.stdout.write(shown);
    if (!follow) return KafkaExitCode.ok;
    let position = Buffer.byteLength(text);
    size = position;
    const stopped = new AbortController();
    const onSignal = (): void => stopped.abort();
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    try {
      while (!stopped.signal.aborted) {
        await sleep(500, stopped.signal).catch(() => undefined);
        const current = (await stat(file).catch(() => ({ size }))).size;
        if (current < position) position = 0; // truncated or replaced: start over
        if (current > position) {
          const buffer = Buffer.alloc(current - position);
          await handle.read(buffer, 0, buffer.length, position);
          process.stdout.write(buffer);
          position = current;
        }
      }
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
    return KafkaExitCode.ok;
  } finally {
    await handle.close();
  }
}

/** The last `count` lines of `text` (keeping its final newline). */
export function lastLines(text: string, count: number): string {
  if (text === '') return '';
  const lines = text.split('\n');
  const trailing = lines.at(-1) === '' ? lines.pop() : undefined;
  return `${lines.slice(-count).join('\n')}${trailing === undefined ? '' : '\n'}`;
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
  process.exitCode = await runKafkaCli(process.argv.slice(2));
}
