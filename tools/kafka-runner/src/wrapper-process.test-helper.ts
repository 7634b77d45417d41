import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The real tools/kafka wrapper that users and tests run. */
export const KAFKA_WRAPPER = fileURLToPath(new URL('../../kafka', import.meta.url));

export interface WrapperResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs tools/kafka from another directory (as a user could) and collects its output. */
export function runKafkaWrapper(args: readonly string[], env: Record<string, string> = {}): Promise<WrapperResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(KAFKA_WRAPPER, [...args], { cwd: '/', env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}
