/** Types of scripts/compress-web.mjs (used by tests and benchmarks). */
export interface CompressedFile {
  readonly file: string;
  readonly raw: number;
  readonly br: number;
  readonly gz: number;
}
export function compressWebBuild(dist: string): CompressedFile[];
