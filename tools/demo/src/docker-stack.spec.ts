import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { BRIDGE_DEFAULTS } from '@tickerflow/bridge-runtime';
import { LOCAL_API_KEY, LOCAL_APPSYNC_PORT } from '@tickerflow/core';
import { listApps } from '@tickerflow/build';

// No Docker engine runs on the development machines: this checks the full stack's file
// against the tools' defaults, so `docker compose up -d` and `npx sub` on the host agree.
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

interface Service {
  build?: { context?: string; dockerfile?: string; target?: string };
  ports?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition?: string }>;
}

const compose = parse(readFileSync(`${repoRoot}docker-compose.yml`, 'utf8')) as { services: Record<string, Service> };
const services = compose.services;

describe('docker-compose.yml: the full stack', () => {
  it('has kafka, the topic creation, appsync-local and the bridge', () => {
    expect(Object.keys(services).sort()).toEqual(['appsync-local', 'bridge', 'kafka', 'kafka-init']);
  });

  it('publishes appsync-local where sub and the bridge look by default', () => {
    const appsync = services['appsync-local']!;
    expect(appsync.ports).toEqual([`127.0.0.1:${LOCAL_APPSYNC_PORT}:${LOCAL_APPSYNC_PORT}`]);
    expect(BRIDGE_DEFAULTS.url).toBe(`http://127.0.0.1:${LOCAL_APPSYNC_PORT}/graphql`);
    expect(appsync.environment?.['APPSYNC_API_KEY']).toBe(LOCAL_API_KEY);
  });

  it('points the bridge at the internal Kafka listener, the default topic and appsync-local', () => {
    const bridge = services['bridge']!;
    expect(bridge.environment).toMatchObject({
      KAFKA_BROKERS: 'kafka:29092',
      BRIDGE_TOPIC: BRIDGE_DEFAULTS.topic,
      BRIDGE_GROUP: BRIDGE_DEFAULTS.group,
      APPSYNC_URL: `http://appsync-local:${LOCAL_APPSYNC_PORT}/graphql`,
      APPSYNC_API_KEY: BRIDGE_DEFAULTS.apiKey,
    });
    expect(services['kafka']!.environment?.['KAFKA_LISTENERS']).toContain('INTERNAL://0.0.0.0:29092');
  });

  it('starts the bridge only after the topic exists and appsync-local is healthy', () => {
    expect(services['bridge']!.depends_on).toEqual({
      'kafka-init': { condition: 'service_completed_successfully' },
      'appsync-local': { condition: 'service_healthy' },
    });
    const topicArgs = (services['kafka-init'] as { command?: string[] }).command ?? [];
    expect(topicArgs[topicArgs.indexOf('--topic') + 1]).toBe(BRIDGE_DEFAULTS.topic);
  });

  it.each(['appsync-local', 'bridge'])('builds %s from a Dockerfile target that exists, with a health check', (name) => {
    const build = services[name]!.build!;
    const dockerfilePath = `${repoRoot}${build.context ?? '.'}/${build.dockerfile ?? 'Dockerfile'}`;
    expect(existsSync(dockerfilePath)).toBe(true);
    const dockerfile = readFileSync(dockerfilePath, 'utf8');
    const stage = dockerfile.split(/^FROM /m).find((section) => new RegExp(`AS ${build.target}\\s*$`, 'm').test(section.split('\n')[0]!));
    expect(stage, `stage ${build.target}`).toBeDefined();
    expect(stage).toMatch(/HEALTHCHECK/);
    const entry = /ENTRYPOINT \[(.*)\]/.exec(stage!)?.[1] ?? '';
    const bundle = JSON.parse(`[${entry}]`)[1] as string;
    // The entry is a bundle `npm run build` makes (dist/ is not in the repository).
    expect(bundle).toBe(`dist/${name}/main.js`);
    expect(listApps().map((app) => app.bin)).toContain(name);
  });

  it('serves the bridge health port the Dockerfile checks', () => {
    const dockerfile = readFileSync(`${repoRoot}Dockerfile`, 'utf8');
    expect(dockerfile).toContain('"--metrics-port", "9464"');
    expect(services['bridge']!.ports).toEqual(['127.0.0.1:9464:9464']);
  });
});
