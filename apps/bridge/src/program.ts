import { Command } from 'commander';
import { UsageError } from '@tickerflow/core';

/** The bridge command line. Not built yet: see issue 5. */
export function buildProgram(): Command {
  return new Command('bridge')
    .description('Relay quotes from a Kafka topic to AWS AppSync GraphQL mutations')
    .action(() => {
      throw new UsageError('bridge is not implemented yet (issue 5)');
    });
}
