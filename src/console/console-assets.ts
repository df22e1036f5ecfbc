import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';

/** One file of the built console, read once at start, with its gzip form when that is smaller. */
export interface ConsoleFile {
  readonly body: Buffer;
  readonly gzip: Buffer | undefined;
  readonly contentType: string;
}

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * Where `npm run build` puts the console (console/dist in the repository), found from this
 * compiled file: dist/src/console, or a test build's <out>/src/console.
 */
export const CONSOLE_DIST = resolve(__dirname, '..', '..', '..', 'console', 'dist');

function fileOf(path: string): ConsoleFile | undefined {
  const contentType = TYPES[extname(path)];
  if (contentType === undefined) return undefined;
  const body = readFileSync(path);
  const gzip =
    contentType.startsWith('image/png') || contentType.startsWith('font/')
      ? undefined
      : gzipSync(body);
  return {
    body,
    gzip: gzip !== undefined && gzip.length < body.length ? gzip : undefined,
    contentType,
  };
}

/**
 * The built console, all in memory (about 60 KB): its page, and its assets by their hashed names.
 * Only files the build wrote are served; a name is looked up, never joined to a path.
 */
export class ConsoleAssets {
  private constructor(
    readonly page: ConsoleFile | undefined,
    private readonly assets: ReadonlyMap<string, ConsoleFile>,
  ) {}

  static load(dir: string = CONSOLE_DIST): ConsoleAssets {
    const index = join(dir, 'index.html');
    if (!existsSync(index)) return new ConsoleAssets(undefined, new Map());
    const assets = new Map<string, ConsoleFile>();
    const assetDir = join(dir, 'assets');
    if (existsSync(assetDir)) {
      for (const name of readdirSync(assetDir)) {
        const file = fileOf(join(assetDir, name));
        if (file !== undefined) assets.set(name, file);
      }
    }
    return new ConsoleAssets(fileOf(index), assets);
  }

  get built(): boolean {
    return this.page !== undefined;
  }

  asset(name: string): ConsoleFile | undefined {
    return this.assets.get(name);
  }
}
