import type { AuthHeader } from '@tickerflow/appsync-protocol';

/** AppSync's two refusals: no usable credentials at all vs. credentials that are not valid. */
export const NO_CREDENTIALS_MESSAGE = 'Valid authorization header not provided.';
export const NOT_AUTHORIZED_MESSAGE = 'You are not authorized to make this call.';

export type AuthCheck = { readonly ok: true } | { readonly ok: false; readonly message: string };

/**
 * API-key authorization, the only mode appsync-local serves: the `x-api-key` header (any case)
 * must equal the configured key. Credentials of other modes (`Authorization`) are refused as
 * not valid, because this API has no such mode.
 */
export function checkApiKey(header: AuthHeader | undefined, apiKey: string): AuthCheck {
  if (header === undefined) return { ok: false, message: NO_CREDENTIALS_MESSAGE };
  let key: string | undefined;
  let other = false;
  for (const [name, value] of Object.entries(header)) {
    const lower = name.toLowerCase();
    if (lower === 'x-api-key') key = value;
    else if (lower === 'authorization') other = true;
  }
  if (key === undefined || key === '') return other ? { ok: false, message: NOT_AUTHORIZED_MESSAGE } : { ok: false, message: NO_CREDENTIALS_MESSAGE };
  return key === apiKey ? { ok: true } : { ok: false, message: NOT_AUTHORIZED_MESSAGE };
}
