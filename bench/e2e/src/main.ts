/**
 * npm run bench — the end-to-end benchmark (method: docs, "Benchmarks"). Progress on stderr; the
 * ratios (or, with --json, the report) on stdout; exit 0 done, 1 failure, 2 usage.
 */
import { join } from 'node:path';
import { Command } from 'commander';
import { killAllChildren, leaseBroker, runBenchCli } from '@tickerflow/bench-support';
import { REPO_ROOT } from '@tickerflow/kafka-runner';
import { addBenchOptions, planFromOptions, type RawOptions } from './plan';
import { formatRatios } from './ratios';
import { runBench } from './bench';

const RESULTS = join(REPO_ROOT, 'bench/results');

process.on('exit', killAllChildren);

const program = addBenchOptions(new Command('bench'), RESULTS).action(async (options: RawOptions) => {
  const cli = planFromOptions(options, RESULTS);
  const stop = new AbortController();
  const onSignal = (): void => {
    if (stop.signal.aborted) process.exit(130);
    process.stderr.write('bench: stopping (Ctrl-C again to force)\n');
    stop.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const broker = await leaseBroker(cli.brokers, { keep: cli.keepKafka });
  try {
    const { report, files } = await runBench({ plan: cli.plan, brokers: broker.brokers, outDir: cli.outDir, signal: stop.signal, log: (line) => process.stderr.write(`${line}\n`) });
    if (cli.json) process.stdout.write(`${JSON.stringify(report)}\n`);
    else {
      for (const line of formatRatios(report.ratios)) process.stdout.write(`${line}\n`);
      process.stdout.write(`report: ${files.markdown}\n        ${files.json}\n        ${files.svg}\n`);
    }
  } catch (error) {
    if (!stop.signal.aborted) throw error;
    process.stderr.write('bench: interrupted, everything started was stopped\n');
  } finally {
    killAllChildren();
    await broker.release().catch(() => {});
  }
});

await runBenchCli(program, [
  'npm run bench                      # full run, 10-15 minutes on 2 cores',
  'npm run bench -- --quick           # routine check, under 2 minutes',
  'npm run bench -- --paths bridge,floor --rates 5000 --subscribers 1',
]);
