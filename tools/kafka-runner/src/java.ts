import { parseKafkaVersion } from './config';
import { KafkaRunnerError, RunnerErrorCode } from './errors';
import { runCommand } from './run-command';

/** Java feature release from `java -version` output (`17.0.15`, `1.8.0_392`, `21`). */
export function parseJavaMajor(versionOutput: string): number | undefined {
  const match = /version "(\d+)(?:\.(\d+))?[^"]*"/.exec(versionOutput);
  if (!match) return undefined;
  const first = Number(match[1]);
  return first === 1 && match[2] !== undefined ? Number(match[2]) : first;
}

/** Oldest Java a Kafka release's broker runs on: 11 for 3.x, 17 from 4.0. */
export function minimumJava(kafkaVersion: string): number {
  return parseKafkaVersion(kafkaVersion).major >= 4 ? 17 : 11;
}

/** Checks that `java` runs and is recent enough; returns its feature release. */
export async function checkJava(java: string, kafkaVersion: string): Promise<number> {
  const hint = 'install a JDK 17 (e.g. apt-get install -y openjdk-17-jre-headless) or set JAVA_HOME';
  let output: string;
  try {
    output = (await runCommand(java, ['-version'])).output;
  } catch (error) {
    throw new KafkaRunnerError(RunnerErrorCode.javaNotFound, `Java not found (tried "${java}")`, { hint, cause: error });
  }
  const major = parseJavaMajor(output);
  if (major === undefined) {
    throw new KafkaRunnerError(RunnerErrorCode.javaNotFound, `"${java} -version" did not print a Java version`, { hint });
  }
  const minimum = minimumJava(kafkaVersion);
  if (major < minimum) {
    throw new KafkaRunnerError(
      RunnerErrorCode.javaTooOld,
      `Kafka ${kafkaVersion} needs Java ${minimum}+, found Java ${major} at "${java}"`,
      { hint },
    );
  }
  return major;
}
