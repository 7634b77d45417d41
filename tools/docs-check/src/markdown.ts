/** Markdown helpers for the docs checks: links, anchors and repository paths named in a page. */

export interface Link {
  readonly target: string;
  readonly line: number;
}

/** Removes fenced code blocks (kept as blank lines, so line numbers stay right). */
export function withoutFences(markdown: string): string {
  let inFence = false;
  return markdown
    .split('\n')
    .map((line) => {
      if (/^\s*(```|~~~)/.test(line)) {
        inFence = !inFence;
        return '';
      }
      return inFence ? '' : line;
    })
    .join('\n');
}

/** Targets of inline links and images, `[text](target)`, outside code. */
export function linksIn(markdown: string): Link[] {
  const links: Link[] = [];
  withoutFences(markdown)
    .split('\n')
    .forEach((text, index) => {
      const outsideCode = text.replace(/`[^`]*`/g, '');
      for (const match of outsideCode.matchAll(/!?\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) links.push({ target: match[1]!, line: index + 1 });
    });
  return links;
}

/** Whether a link leaves the repository (a URL or a mail address). */
export function isExternal(target: string): boolean {
  return /^[a-z][a-z0-9+.-]*:/i.test(target);
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
export function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const line of withoutFences(markdown).split('\n')) {
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line)?.[1];
    if (heading === undefined) continue;
    const slug = heading
      .replace(/`/g, '')
      .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return anchors;
}

const REPO_PATH = /^(?:apps|libs|tools|bench|schema|docs|\.ci)\/[\w.@/-]*$|^(?:Dockerfile|docker-compose\.yml|package\.json|nx\.json|tsconfig\.base\.json|vitest\.config\.ts|eslint\.config\.mjs)$/;

/**
 * Repository paths named in inline code outside fenced blocks, e.g. `apps/bridge/src/run.ts`.
 * Placeholders (`bench/results/<date>/`) and globs are not paths and are skipped.
 */
export function repositoryPathsIn(markdown: string): Link[] {
  const paths: Link[] = [];
  withoutFences(markdown)
    .split('\n')
    .forEach((text, index) => {
      for (const match of text.matchAll(/`([^`\s]+)`/g)) {
        const candidate = match[1]!.replace(/[:,]$/, '');
        if (REPO_PATH.test(candidate)) paths.push({ target: candidate, line: index + 1 });
      }
    });
  return paths;
}
