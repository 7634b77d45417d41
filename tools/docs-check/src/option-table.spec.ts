import { Command, Option } from 'commander';
import { describe, expect, it } from 'vitest';
import { longOptionsInHelp, optionsInHelp, renderOptionTable } from './option-table';

/** A command whose --help shows every kind of option suffix, wrapped at 60 columns. */
function help(): string {
  const command = new Command('demo')
    .configureHelp({ helpWidth: 60 })
    .addOption(new Option('--topic <name>', 'Kafka topic to relay, a description long enough to wrap').env('DEMO_TOPIC').default('quotes'))
    .addOption(new Option('--rate <r>', 'quotes per second').default(100))
    .addOption(new Option('--acks <acks>', 'acknowledgement').default(-1, 'all'))
    .addOption(new Option('--codec <codec>', 'compression').choices(['none', 'gzip']).default('none'))
    .addOption(new Option('--tickers <list>', 'tickers').default(['A', 'B']))
    .addOption(new Option('--seed <s>', 'seed of the model (default: random)'))
    .addOption(new Option('--port <port>', 'serve on this port (0: any free port)').env('DEMO_PORT'))
    .addOption(new Option('--no-create-topic', 'fail if the topic is missing'));
  command.addHelpText('after', '\nExamples:\n  demo --rate 5');
  return command.helpInformation() + '\nExamples:\n  demo --rate 5\n';
}

describe('optionsInHelp', () => {
  it('reads flags, wrapped descriptions, choices, defaults and env variables back from --help', () => {
    const options = optionsInHelp(help());
    expect(options.map((option) => option.flags)).toEqual([
      '--topic <name>',
      '--rate <r>',
      '--acks <acks>',
      '--codec <codec>',
      '--tickers <list>',
      '--seed <s>',
      '--port <port>',
      '--no-create-topic',
      '-h, --help',
    ]);
    expect(options[0]).toEqual({ flags: '--topic <name>', description: 'Kafka topic to relay, a description long enough to wrap', default: '"quotes"', env: 'DEMO_TOPIC' });
    expect(options[3]).toEqual({ flags: '--codec <codec>', description: 'compression', choices: ['none', 'gzip'], default: '"none"' });
    expect(options[5]).toEqual({ flags: '--seed <s>', description: 'seed of the model', default: 'random' });
    expect(options[6]).toEqual({ flags: '--port <port>', description: 'serve on this port (0: any free port)', env: 'DEMO_PORT' });
  });

  it('lists the long options only', () => {
    expect(longOptionsInHelp(help())).toEqual(['--topic', '--rate', '--acks', '--codec', '--tickers', '--seed', '--port', '--no-create-topic', '--help']);
  });
});

describe('renderOptionTable', () => {
  it('puts default values in code, default descriptions in text, and choices in the meaning', () => {
    expect(renderOptionTable(help()).split('\n')).toEqual([
      '| Option | Env | Default | Meaning |',
      '| --- | --- | --- | --- |',
      '| `--topic <name>` | `DEMO_TOPIC` | `quotes` | Kafka topic to relay, a description long enough to wrap |',
      '| `--rate <r>` |  | `100` | quotes per second |',
      '| `--acks <acks>` |  | all | acknowledgement |',
      '| `--codec <codec>` |  | `none` | compression (one of `none`, `gzip`) |',
      '| `--tickers <list>` |  | `A,B` | tickers |',
      '| `--seed <s>` |  | random | seed of the model |',
      '| `--port <port>` | `DEMO_PORT` |  | serve on this port (0: any free port) |',
      '| `--no-create-topic` |  |  | fail if the topic is missing |',
      '| `-h, --help` |  |  | display help for command |',
    ]);
  });
});
