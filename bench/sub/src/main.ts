import { Command, Option } from 'commander';
import { parsePositiveInteger, parsePositiveIntegerList, parsePositiveNumber, parsedOption, runBenchCli } from '@tickerflow/bench-support';
import { handleShutdownSignals, jsonOption } from '@tickerflow/cli';
import { runBench, type StepResult } from './bench';
import { formatResults } from './report';

interface Options {
  source: 'appsync-local' | 'raw' | 'both';
  rates: number[];
  stepSeconds: number;
  batch: number;
  tickers: number;
  connections: number;
  latencyBound: number;
  json?: boolean;
}

const program = new Command('bench:sub')
  .description('Measure how many events/s sub receives on one connection from appsync-local, and whether it falls behind.')
  .addOption(parsedOption('--rates <list>', 'publish rates to try, events/s', parsePositiveIntegerList).default([2_000, 5_000, 10_000, 20_000, 30_000]))
  .addOption(parsedOption('--step-seconds <s>', 'seconds of publishing per rate', parsePositiveNumber).default(5))
  .addOption(parsedOption('--batch <n>', 'quotes per aliased mutation', parsePositiveInteger).default(100))
  .addOption(parsedOption('--tickers <n>', 'distinct tickers', parsePositiveInteger).default(10))
  .addOption(parsedOption('--connections <n>', 'publisher HTTP connections', parsePositiveInteger).default(4))
  .addOption(parsedOption('--latency-bound <ms>', 'p99 latency above this counts as falling behind', parsePositiveInteger).default(500))
  .addOption(
    new Option('--source <kind>', 'appsync-local (end to end, HTTP publisher), raw (a bare ws source: sub alone), or both')
      .choices(['appsync-local', 'raw', 'both'])
      .default('both'),
  )
  .addOption(jsonOption())
  .action(async (options: Options) => {
    const shutdown = handleShutdownSignals();
    try {
      const sources = options.source === 'both' ? (['appsync-local', 'raw'] as const) : [options.source];
      const results: StepResult[] = [];
      for (const source of sources) {
        const stepResults = await runBench({
          source,
          rates: options.rates,
          stepSeconds: options.stepSeconds,
          batch: options.batch,
          tickers: options.tickers,
          connections: options.connections,
          latencyBoundMs: options.latencyBound,
          progress: (line) => process.stderr.write(`${line}\n`),
          signal: shutdown.signal,
        });
        results.push(...stepResults);
      }
      if (options.json) for (const result of results) process.stdout.write(`${JSON.stringify(result)}\n`);
      else process.stdout.write(`${formatResults(results)}\n`);
    } finally {
      shutdown.dispose();
    }
  });

await runBenchCli(program, ['npm run bench:sub', 'npm run bench:sub -- --rates 20000 --step-seconds 10', 'npm run bench:sub -- --json']);
