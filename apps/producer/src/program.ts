import { Command } from 'commander';
import { UsageError } from '@tickerflow/core';

/** The ticker-gen command line. Not built yet: see issue 3. */
export function buildProgram(): Command {
  return new Command('ticker-gen')
    .description('Publish synthetic market quotes to a Kafka topic')
    .action(() => {
      throw new UsageError('ticker-gen is not implemented yet (issue 3)');
    });
}
