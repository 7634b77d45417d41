import { describe, expect, it } from 'vitest';
import { loggingBackend, mavenArgs, renderPom, runtimeArtifacts } from './pom';
import { logConfigJvmArgs, renderLogConfig } from './log-config';

/** The <dependency> blocks of a pom as `group:artifact:version` strings. */
function dependencies(pom: string): string[] {
  return [...pom.matchAll(/<dependency>\s*<groupId>(.+?)<\/groupId>\s*<artifactId>(.+?)<\/artifactId>\s*<version>(.+?)<\/version>\s*(?:<exclusions>[\s\S]*?<\/exclusions>\s*)?<\/dependency>/g)].map(
    (match) => `${match[1]}:${match[2]}:${match[3]}`,
  );
}

describe('renderPom', () => {
  it('asks for kafka_2.13 plus the reload4j slf4j binding that Kafka 3.x ships', () => {
    const pom = renderPom('3.9.1');
    expect(dependencies(pom)).toEqual([
      'org.apache.kafka:kafka_2.13:3.9.1',
      'org.slf4j:slf4j-reload4j:1.7.36',
      'ch.qos.reload4j:reload4j:1.2.25',
    ]);
    expect(pom).toContain('<packaging>pom</packaging>');
    expect(pom.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
  });

  it('uses the Log4j 2 binding from Kafka 4.0 on', () => {
    expect(dependencies(renderPom('4.1.1'))).toEqual([
      'org.apache.kafka:kafka_2.13:4.1.1',
      'org.apache.logging.log4j:log4j-slf4j-impl:2.24.3',
    ]);
    // Kafka's own log4j-api/core versions win (2.25.x from Kafka 4.4 on).
    expect(renderPom('4.1.1')).toContain(
      '      <exclusions>\n' +
        '        <exclusion><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-api</artifactId></exclusion>\n' +
        '        <exclusion><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-core</artifactId></exclusion>\n' +
        '      </exclusions>\n',
    );
    expect(renderPom('3.9.1')).not.toContain('<exclusions>');
    expect(loggingBackend('4.0.0').kind).toBe('log4j2');
    expect(loggingBackend('3.8.0').kind).toBe('log4j');
  });

  it('lists the same artifacts runtimeArtifacts returns', () => {
    expect(dependencies(renderPom('3.9.1'))).toEqual(
      runtimeArtifacts('3.9.1').map((a) => `${a.groupId}:${a.artifactId}:${a.version}`),
    );
  });

  it('refuses a version that is not x.y.z', () => {
    expect(() => renderPom('3.9')).toThrow('KAFKA_VERSION must look like 3.9.1, got "3.9"');
  });
});

describe('mavenArgs', () => {
  it('copies the runtime dependency tree into the output folder, in batch mode', () => {
    expect(mavenArgs('/c/3.9.1/pom.xml', '/c/3.9.1/lib.partial')).toEqual([
      '-B',
      '--no-transfer-progress',
      '-f',
      '/c/3.9.1/pom.xml',
      'dependency:copy-dependencies',
      '-DoutputDirectory=/c/3.9.1/lib.partial',
      '-DincludeScope=runtime',
    ]);
  });
});

describe('renderLogConfig', () => {
  it('sends reload4j output to stdout with the pattern of Kafka distributions', () => {
    const text = renderLogConfig('log4j');
    expect(text).toContain('log4j.rootLogger=INFO, stdout\n');
    expect(text).toContain('log4j.appender.stdout=org.apache.log4j.ConsoleAppender\n');
    expect(logConfigJvmArgs('log4j', '/d/log4j.properties')).toEqual(['-Dlog4j.configuration=file:/d/log4j.properties']);
  });

  it('writes a Log4j 2 properties config for Kafka 4', () => {
    const text = renderLogConfig('log4j2');
    expect(text).toContain('appender.stdout.type = Console\n');
    expect(text).toContain('rootLogger.appenderRef.stdout.ref = STDOUT\n');
    expect(logConfigJvmArgs('log4j2', '/d/log4j2.properties')).toEqual(['-Dlog4j2.configurationFile=/d/log4j2.properties']);
  });
});
