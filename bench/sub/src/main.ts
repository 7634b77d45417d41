import { Command, Option } from 'commander';
import { handleShutdownSignals, jsonOption, main, withExamples } from '@tickerflow/cli';
import { parsePositiveInteger, parseNonNegativeNumber, parseList, UsageError } from '@tickerflow/core';
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
  .addOption(
    new Option('--rates <list>', 'publish rates to try, events/s').default([2_000, 5_000, 10_000, 20_000, 30_000]).argParser((raw) =>
      parseList('--rates', raw).map((item) => parsePositiveInteger('--rates', item)),
    ),
  )
  .addOption(new Option('--step-seconds <s>', 'seconds of publishing per rate').default(5).argParser((raw) => {
    const value = parseNonNegativeNumber('--step-seconds', raw);
    if (value === 0) throw new UsageError('--step-seconds must be > 0');
    return value;
  }))
  .addOption(new Option('--batch <n>', 'quotes per aliased mutation').default(100).argParser((raw) => parsePositiveInteger('--batch', raw)))
  .addOption(new Option('--tickers <n>', 'distinct tickers').default(10).argParser((raw) => parsePositiveInteger('--tickers', raw)))
  .addOption(new Option('--connections <n>', 'publisher HTTP connections').default(4).argParser((raw) => parsePositiveInteger('--connections', raw)))
  .addOption(
    new Option('--latency-bound <ms>', 'p99 latency above this counts as falling behind')
      .default(500)
      .argParser((raw) => parsePositiveInteger('--latency-bound', raw)),
  )
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

await main(
  withExamples(program, ['npm run bench:sub', 'npm run bench:sub -- --rates 20000 --step-seconds 10', 'npm run bench:sub -- --json']),
);
