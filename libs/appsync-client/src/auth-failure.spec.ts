import { describe, expect, it } from 'vitest';
import { describeAuthFailure, isAuthFailure, maskSecret, redactFrame } from './auth-failure';

describe('auth failure helpers', () => {
  it.each([
    ['da2-tickerflowlocaldevkey000000', 'da2-…0000'],
    ['short', '…'],
  ])('maskSecret(%j) = %j', (secret, masked) => {
    expect(maskSecret(secret)).toBe(masked);
  });

  it.each([
    [[{ errorType: 'UnauthorizedException', message: 'no' }], true],
    [[{ errorCode: 401, message: 'no' }], true],
    [[{ errorCode: 403, message: 'no' }], true],
    [[{ errorType: 'LimitExceededError', message: 'slow down' }], false],
  ])('isAuthFailure(%j) = %j', (errors, expected) => {
    expect(isAuthFailure(errors)).toBe(expected);
  });

  it('names the URL and the masked key', () => {
    const line = describeAuthFailure(
      [{ errorType: 'UnauthorizedException', message: 'You are not authorized to make this call.', errorCode: 401 }],
      'http://127.0.0.1:4000/graphql',
      { host: '127.0.0.1:4000', 'x-api-key': 'da2-wrongwrongwrong1234' },
    );
    expect(line).toBe(
      'http://127.0.0.1:4000/graphql rejected API key da2-…1234 (UnauthorizedException: You are not authorized to make this call.)',
    );
  });

  it('masks secrets in frames', () => {
    const frame = '{"payload":{"extensions":{"authorization":{"host":"h","x-api-key":"da2-abcdefgh12345678"}}}}';
    expect(redactFrame(frame, ['da2-abcdefgh12345678'])).toBe(
      '{"payload":{"extensions":{"authorization":{"host":"h","x-api-key":"da2-…5678"}}}}',
    );
  });
});
