import { randomBytes } from 'node:crypto';

/** `<prefix>-<time>-<random>`: topics and groups no other test (or engineer) shares. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}
