/**
 * npm run bench — the end-to-end benchmark (see the README, "Benchmarks"). Progress on stderr; the
 * ratios (or, with --json, the report) on stdout; exit 0 done, 1 failure, 2 usage.
 */
import { join } from 'node:path';
import { UsageError } from '@tickerflow/core';
import { REPO_ROOT, releaseBroker, startBroker } from '@tickerflow/kafka-runner';
import { killAllChildren } from './ipc';
import { USAGE, parseCli } from './plan';
import { formatRatios } from './ratios';
import { runBench } from './bench';

process.on('exit', killAllChildren);

let cli;
try {
  cli = parseCli(process.argv.slice(2), join(REPO_ROOT, 'bench/results'));
} catch (error) {
  process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(error instanceof UsageError ? 2 : 1);
}
if (cli.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}

const stop = new AbortController();
const onSignal = (): void => {
  if (stop.signal.aborted) process.exit(130);
  process.stderr.write('bench: stopping (Ctrl-C again to force)\n');
  stop.abort();
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

const fromEnv = process.env['KAFKA_BROKERS'];
let exitCode = 0;
let leased = false;
try {
  let brokers = fromEnv;
  if (brokers === undefined) {
    brokers = (await startBroker({ startedBy: 'cli', lease: true })).brokers;
    leased = true;
  }
  const { report, files } = await runBench({ plan: cli.plan, brokers, outDir: cli.outDir, signal: stop.signal, log: (line) => process.stderr.write(`${line}\n`) });
  if (cli.json) process.stdout.write(`${JSON.stringify(report)}\n`);
  else {
    for (const line of formatRatios(report.ratios)) process.stdout.write(`${line}\n`);
    process.stdout.write(`report: ${files.markdown}\n        ${files.json}\n        ${files.svg}\n`);
  }
} catch (error) {
  if (stop.signal.aborted) {
    process.stderr.write('bench: interrupted, everything started was stopped\n');
  } else {
    process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
    exitCode = 1;
  }
} finally {
  killAllChildren();
  if (leased) await releaseBroker({ keep: Boolean(process.env['TICKERFLOW_KEEP_KAFKA']) }).catch(() => {});
}
process.exit(exitCode);
