// Types for tools/build-app.mjs, so TypeScript specs can drive the build in-process.
import type { Metafile } from 'esbuild';

export interface AppBuild {
  /** The app's folder (absolute). */
  readonly folder: string;
  /** The bin name; the bundle goes to `<outdir>/<bin>/`. */
  readonly bin: string;
  /** Output name (without .js) to source file, e.g. `{ main: '.../src/main.ts' }`. */
  readonly entries: Record<string, string>;
}

export declare const repoRoot: string;
export declare function listApps(root?: string): AppBuild[];
export declare function buildApps(options?: {
  apps?: readonly AppBuild[];
  outdir?: string;
  root?: string;
}): Promise<Array<{ app: AppBuild; outdir: string; metafile: Metafile }>>;
