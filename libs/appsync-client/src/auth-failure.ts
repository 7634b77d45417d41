import { describeErrorEntries, type AppSyncErrorEntry, type AuthHeader } from '@tickerflow/appsync-protocol';

/** `da2-…0000`: enough to tell keys apart, not enough to use one. */
export function maskSecret(secret: string): string {
  if (secret.length <= 8) return '…';
  return `${secret.slice(0, 4)}…${secret.slice(-4)}`;
}

/** The masked API key of an auth header, or what kind of credential it carries. */
export function maskedKey(header: AuthHeader): string {
  const key = header['x-api-key'];
  if (key !== undefined) return maskSecret(key);
  return header['Authorization'] !== undefined || header['authorization'] !== undefined ? 'the Authorization token' : '(no credentials)';
}

/** True when AppSync's errors say the credentials were refused (UnauthorizedException, 401, 403). */
export function isAuthFailure(errors: readonly AppSyncErrorEntry[]): boolean {
  return errors.some(
    (entry) =>
      entry.errorType === 'UnauthorizedException' ||
      entry.errorCode === 401 ||
      entry.errorCode === 403,
  );
}

/** One line naming the URL, the masked key and AppSync's reason. */
export function describeAuthFailure(errors: readonly AppSyncErrorEntry[], url: string, header: AuthHeader): string {
  const reason = describeErrorEntries(errors);
  return `${url} rejected API key ${maskedKey(header)}${reason ? ` (${reason})` : ''}`;
}

/** Replaces every occurrence of each secret in a frame's text with its masked form (for --verbose). */
export function redactFrame(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const secret of secrets) {
    if (secret.length > 0 && result.includes(secret)) result = result.split(secret).join(maskSecret(secret));
  }
  return result;
}
