import { UsageError } from '@tickerflow/core';

/** A parsed `tools/kafka` command line. */
export type KafkaCommand =
  | { readonly command: 'start' }
  | { readonly command: 'stop' }
  | { readonly command: 'status'; readonly json: boolean }
  | { readonly command: 'logs'; readonly follow: boolean; readonly lines: number | undefined }
  | { readonly command: 'help' };

export const USAGE = `Usage: tools/kafka <command> [options]

Runs a real single-node Apache Kafka broker (KRaft) on this machine's Java,
from Maven Central jars; no Docker.

Commands:
  start                start the broker (or reuse the one running); prints the bootstrap address
  stop                 stop the broker started by tools/kafka (SIGTERM, then SIGKILL after 30 s)
  status [--json]      is it running? exit code 0 running, 3 not running
  logs [-f] [-n N]     print the broker log; -f follows it, -n prints the last N lines

Environment:
  KAFKA_VERSION          Kafka release from Maven Central (default 3.9.1)
  KAFKA_PORT             client port, bootstrap localhost:<port> (default 9092)
  KAFKA_CONTROLLER_PORT  KRaft controller port (default KAFKA_PORT + 1)
  KAFKA_DATA_DIR         broker data, pid, log, generated config (default <repo>/.kafka)
  KAFKA_CACHE_DIR        downloaded jars, per version (default <repo>/.cache/kafka)
  KAFKA_HEAP_OPTS        JVM heap flags (default "-Xms256m -Xmx512m")
  JAVA_HOME, MVN         which java and mvn to run

Exit codes: 0 ok, 1 failure, 2 usage error, 3 not running (status).

Examples:
  tools/kafka start
  KAFKA_BROKERS=$(tools/kafka start) npx ticker-gen --topic quotes
  tools/kafka status --json
  tools/kafka logs -n 50
  KAFKA_VERSION=4.1.1 KAFKA_PORT=19092 KAFKA_DATA_DIR=/tmp/kafka-4.1 tools/kafka start
  tools/kafka stop
`;

const COMMANDS = ['start', 'stop', 'status', 'logs'] as const;

/** Parses argv (without node and the script). Pure; throws UsageError with one clear sentence. */
export function parseArgs(argv: readonly string[]): KafkaCommand {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    return { command: 'help' };
  }
  if (rest.includes('--help') || rest.includes('-h')) return { command: 'help' };
  switch (name) {
    case 'start':
    case 'stop':
      noMoreArgs(name, rest);
      return { command: name };
    case 'status': {
      const json = rest.includes('--json');
      noMoreArgs(name, rest.filter((arg) => arg !== '--json'));
      return { command: 'status', json };
    }
    case 'logs':
      return parseLogs(rest);
    default:
      throw new UsageError(`unknown command "${name}" (expected one of: ${COMMANDS.join(', ')})`, {
        hint: 'run tools/kafka --help',
      });
  }
}

function parseLogs(args: readonly string[]): KafkaCommand {
  let follow = false;
  let lines: number | undefined;
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index] as string;
    if (arg === '-f' || arg === '--follow') {
      follow = true;
    } else if (arg === '-n' || arg === '--lines' || arg.startsWith('--lines=')) {
      const value = arg.startsWith('--lines=') ? arg.slice('--lines='.length) : args[(index += 1)];
      if (value === undefined || !/^\d+$/.test(value) || Number(value) < 1) {
        throw new UsageError(`logs ${arg.split('=')[0]} needs a positive whole number of lines, got ${value === undefined ? 'nothing' : `"${value}"`}`);
      }
      lines = Number(value);
    } else {
      throw new UsageError(`logs: unknown option "${arg}" (expected -f, -n <lines>)`);
    }
  }
  return { command: 'logs', follow, lines };
}

function noMoreArgs(command: string, rest: readonly string[]): void {
  if (rest.length > 0) {
    throw new UsageError(`${command}: unexpected argument "${rest[0]}"`, { hint: 'run tools/kafka --help' });
  }
}
