/** Where a request goes: its path (no trailing slashes) and its query parameters. */
export interface RequestTarget {
  readonly path: string;
  readonly query: URLSearchParams;
}

const ABSOLUTE_FORM = /^(?:https?|wss?):\/\//i;

/**
 * Reads an HTTP request target (RFC 9112 §3.2) without ever throwing: origin form (`/graphql?x`)
 * and absolute form (`http://host/graphql`) give their path and query; anything else (`*`,
 * `//`-only authority tricks that `new URL(target, base)` rejects, garbage) gives undefined.
 * Paths are taken verbatim, so `//graphql` is not `/graphql`.
 */
export function parseRequestTarget(target: string | undefined): RequestTarget | undefined {
  if (target === undefined || target === '') return undefined;
  let url: URL;
  try {
    if (target.startsWith('/')) url = new URL(`http://localhost${target}`);
    else if (ABSOLUTE_FORM.test(target)) url = new URL(target);
    else return undefined;
  } catch {
    return undefined;
  }
  return { path: trimTrailingSlashes(url.pathname), query: url.searchParams };
}

/** `/graphql/` → `/graphql`; a loop, because /\/+$/ is quadratic on a long run of slashes. */
export function trimTrailingSlashes(path: string): string {
  let end = path.length;
  while (end > 0 && path.charCodeAt(end - 1) === 47) end -= 1;
  return end === path.length ? path : path.slice(0, end);
}
