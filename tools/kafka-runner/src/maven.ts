import { access, mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunnerConfig, RunnerPaths } from './config';
import { KafkaRunnerError, RunnerErrorCode } from './errors';
import { mavenArgs, renderPom } from './pom';
import { lastErrorLine, runCommand } from './run-command';

/** Marker written once every jar is in place, so an interrupted download is redone. */
const COMPLETE_MARKER = '.complete';

/** True when the jars of this Kafka version, resolved from exactly this pom, are in the cache. */
export async function kafkaLibsPresent(paths: RunnerPaths, pom: string): Promise<boolean> {
  try {
    await access(join(paths.libDir, COMPLETE_MARKER));
    // A cache made from another pom (an older runner) is fetched again.
    return (await readFile(paths.pomFile, 'utf8')) === pom;
  } catch {
    return false;
  }
}

/**
 * Makes sure `<cache>/<version>/lib` holds kafka_2.13 and its runtime
 * dependencies: on first use, writes a pom and runs `mvn dependency:copy-dependencies`
 * (Maven Central, about 46 MB, into ~/.m2 then the cache). Progress goes to `log`.
 */
export async function ensureKafkaLibs(
  config: RunnerConfig,
  paths: RunnerPaths,
  log: (line: string) => void,
): Promise<void> {
  const pom = renderPom(config.version);
  if (await kafkaLibsPresent(paths, pom)) return;
  await mkdir(paths.versionCacheDir, { recursive: true });
  await writeFile(paths.pomFile, pom);
  const staging = `${paths.libDir}.partial`;
  await rm(staging, { recursive: true, force: true });
  log(
    `downloading Apache Kafka ${config.version} and its dependencies from Maven Central into ${paths.libDir} ` +
      '(first run only, about 46 MB; can take a minute)',
  );
  const started = Date.now();
  const ticker = setInterval(() => log(`  still downloading... ${Math.round((Date.now() - started) / 1000)}s`), 10_000);
  let result;
  try {
    result = await runCommand(config.mvn, mavenArgs(paths.pomFile, staging), { cwd: paths.versionCacheDir });
  } catch (error) {
    throw new KafkaRunnerError(RunnerErrorCode.mavenNotFound, `Maven not found (tried "${config.mvn}")`, {
      hint: 'install Maven (e.g. apt-get install -y maven) or set MVN to its path',
      cause: error,
    });
  } finally {
    clearInterval(ticker);
  }
  await writeFile(paths.mavenLog, result.output);
  if (result.code !== 0) {
    throw new KafkaRunnerError(
      RunnerErrorCode.mavenFailed,
      `Maven could not fetch Kafka ${config.version}: ${lastErrorLine(result.output) ?? `exit code ${result.code}`}`,
      { hint: `full output in ${paths.mavenLog}; check KAFKA_VERSION and network access to Maven Central` },
    );
  }
  const jars = (await readdir(staging)).filter((name) => name.endsWith('.jar'));
  await writeFile(join(staging, COMPLETE_MARKER), `${jars.length} jars\n`);
  await rm(paths.libDir, { recursive: true, force: true });
  await rename(staging, paths.libDir);
  log(`fetched ${jars.length} jars in ${((Date.now() - started) / 1000).toFixed(1)}s`);
}
