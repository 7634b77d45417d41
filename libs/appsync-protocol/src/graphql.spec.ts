import { describe, expect, it } from 'vitest';
import { describeErrorEntries, describeErrorEntry } from './graphql';

describe('describeErrorEntry', () => {
  it.each([
    [{ errorType: 'UnauthorizedException', message: 'Valid authorization header not provided.' }, 'UnauthorizedException: Valid authorization header not provided.'],
    [{ message: 'no type' }, 'no type'],
    [{ errorType: '', message: 'empty type' }, 'empty type'],
  ])('%j -> %s', (entry, line) => {
    expect(describeErrorEntry(entry)).toBe(line);
  });

  it('joins several entries with "; "', () => {
    expect(describeErrorEntries([{ errorType: 'A', message: 'one' }, { message: 'two' }])).toBe('A: one; two');
    expect(describeErrorEntries([])).toBe('');
  });
});
