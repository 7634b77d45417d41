import { describe, expect, it } from 'vitest';
import { shouldRetryStart, type StartFailure } from './start-retry';

const timeout: StartFailure = { kind: 'timeout' };
const refused = (...errorTypes: (string | undefined)[]): StartFailure => ({
  kind: 'refused',
  errors: errorTypes.map((errorType) => (errorType === undefined ? { message: 'x' } : { errorType, message: 'x' })),
});

describe('shouldRetryStart', () => {
  it.each<[string, StartFailure, boolean, boolean]>([
    ['a missing start_ack, first start', timeout, false, true],
    ['a missing start_ack after a reconnect', timeout, true, true],
    ['a validation error for a document never accepted', refused('ValidationError'), false, false],
    ['an auth refusal for a document never accepted', refused('UnauthorizedException'), false, false],
    ['a refusal without an error type', refused(undefined), false, false],
    ['throttling', refused('LimitExceededError'), false, true],
    ['an internal failure', refused('InternalFailure'), false, true],
    ['a duplicated id', refused('DuplicatedOperationError'), false, true],
    ['one transient and one permanent error', refused('InternalFailure', 'ValidationError'), false, false],
    ['any refusal of a document the server accepted before', refused('ValidationError'), true, true],
  ])('%s: retry %s/%s -> %s', (_name, failure, everStarted, expected) => {
    expect(shouldRetryStart(failure, everStarted, 1, 10)).toBe(expected);
  });

  it('gives up once the failures in a row exceed maxRetries', () => {
    expect(shouldRetryStart(timeout, true, 10, 10)).toBe(true);
    expect(shouldRetryStart(timeout, true, 11, 10)).toBe(false);
    expect(shouldRetryStart(timeout, true, 1, 0)).toBe(false);
  });
});
