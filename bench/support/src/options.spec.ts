import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { runProgram } from '@tickerflow/cli';
import { UsageError } from '@tickerflow/core';
import { parsePositiveIntegerList, parsePositiveNumber, parsePositiveNumberList, parsedOption } from './options';

describe('option parsers', () => {
  it.each([
    [() => parsePositiveNumber('--seconds', '0'), "--seconds must be a number > 0, got '0'"],
    [() => parsePositiveNumber('--seconds', '1O'), "--seconds must be a number > 0, got '1O'"],
    [() => parsePositiveNumberList('--rates', '10,x'), "--rates must be a number > 0, got 'x'"],
    [() => parsePositiveIntegerList('--subscribers', '1.5'), "--subscribers must be a whole number >= 1, got '1.5'"],
    [() => parsePositiveIntegerList('--subscribers', ','), "--subscribers must list at least one value, got ','"],
  ])('%s throws a UsageError', (parse, message) => {
    expect(parse).toThrow(UsageError);
    expect(parse).toThrow(message);
  });

  it('parse what is valid', () => {
    expect(parsePositiveNumber('--s', '0.5')).toBe(0.5);
    expect(parsePositiveNumberList('--r', '300, 100')).toEqual([300, 100]);
    expect(parsePositiveIntegerList('--k', '1,50')).toEqual([1, 50]);
  });
});

describe('parsedOption in a program', () => {
  const program = (): Command =>
    new Command('bench:x').addOption(parsedOption('--seconds <s>', 'seconds', parsePositiveNumber).default(3)).action(() => {});

  it('a typo is one line naming the option, exit 2', async () => {
    const lines: string[] = [];
    const code = await runProgram(program(), ['--seconds', '3s'], { writeError: (line) => lines.push(line) });
    expect(code).toBe(2);
    expect(lines).toEqual(["bench:x: --seconds must be a number > 0, got '3s'"]);
  });
});
