import { describe, expect, it } from 'vitest';
import { KafkaRunnerError } from './errors';
import { checkJava, minimumJava, parseJavaMajor } from './java';
import { lastErrorLine } from './run-command';

describe('parseJavaMajor', () => {
  it.each([
    ['openjdk version "17.0.15" 2025-04-15\nOpenJDK Runtime Environment', 17],
    ['openjdk version "21" 2023-09-19', 21],
    ['java version "1.8.0_392"', 8],
    ['openjdk version "11.0.2-internal"', 11],
    ['no java here', undefined],
  ])('reads %j as %s', (output, major) => {
    expect(parseJavaMajor(output)).toBe(major);
  });
});

describe('minimumJava', () => {
  it('needs 11 for Kafka 3.x and 17 from 4.0', () => {
    expect(minimumJava('3.9.1')).toBe(11);
    expect(minimumJava('4.1.1')).toBe(17);
  });
});

describe('checkJava', () => {
  it('says Java is missing in one line with a hint', async () => {
    const error = await checkJava('/nonexistent/bin/java', '3.9.1').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(KafkaRunnerError);
    expect(error).toMatchObject({ code: 'JAVA_NOT_FOUND', message: 'Java not found (tried "/nonexistent/bin/java")' });
    expect((error as KafkaRunnerError).hint).toContain('JAVA_HOME');
  });
});

describe('lastErrorLine', () => {
  it('picks the meaningful Maven error, not its boilerplate', () => {
    const output = [
      '[INFO] Scanning for projects...',
      '[ERROR] Failed to execute goal on project kafka-runtime: Could not resolve dependencies for project local.tickerflow:kafka-runtime:pom:9.9.9',
      '[ERROR] ',
      '[ERROR] To see the full stack trace of the errors, re-run Maven with the -e switch.',
      '[ERROR] -> [Help 1]',
    ].join('\n');
    expect(lastErrorLine(output)).toBe(
      '[ERROR] Failed to execute goal on project kafka-runtime: Could not resolve dependencies for project local.tickerflow:kafka-runtime:pom:9.9.9',
    );
  });

  it('falls back to the last line, and to undefined for no output', () => {
    expect(lastErrorLine('one\ntwo\n')).toBe('two');
    expect(lastErrorLine('')).toBeUndefined();
  });
});
