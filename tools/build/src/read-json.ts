import { readFileSync } from 'node:fs';

/** Reads and parses a JSON file; the caller names the shape it expects. */
export function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}
