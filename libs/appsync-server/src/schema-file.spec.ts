import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SCHEMA_SDL } from './schema';

// The README tells users to paste schema/tickerlocal.graphql into a real AppSync API, so
// it must stay the schema appsync-local serves by default.
describe('schema/tickerlocal.graphql', () => {
  it('is the schema appsync-local serves by default', () => {
    const file = readFileSync(fileURLToPath(new URL('../../../schema/tickerlocal.graphql', import.meta.url)), 'utf8');
    expect(file).toBe(DEFAULT_SCHEMA_SDL);
  });
});
