import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { brotliCompress, brotliDecompress, constants, gunzip, gzip } from 'node:zlib';
import { ImmutableAsset, JAVASCRIPT, type Compressed } from './immutable-asset.js';

/** Where `npm run build` writes the bundle, `.br` and `.gz` beside it; from src/ and dist/ alike. */
export const BUILT_BUNDLE = fileURLToPath(
  new URL('../../../../dist/docs/scalar.js', import.meta.url),
);

const SOURCE_MAP_COMMENT = /\n\/\/# sourceMappingURL=\S*\s*$/;

/**
 * @scalar/api-reference's browser build (one file, its styles inside) as its package ships it, a
 * dev dependency. Its source map is not served, so the comment naming it goes.
 */
export async function packagedBundle(): Promise<Buffer> {
  const main = createRequire(import.meta.url).resolve('@scalar/api-reference');
  return withoutSourceMapComment(await readFile(join(dirname(main), 'browser', 'standalone.js')));
}

/**
 * Brotli and gzip, both at their best for the build (brotli's best takes seconds of CPU: once per
 * build), or quick enough for a first request (brotli 5: well under a second). Either way on
 * libuv's threads, never on the event loop.
 */
export async function compress(bundle: Buffer, effort: 'build' | 'serve'): Promise<Compressed> {
  const quality = effort === 'build' ? constants.BROTLI_MAX_QUALITY : 5;
  const [br, gzipped] = await Promise.all([
    promisify(brotliCompress)(bundle, {
      params: {
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
        [constants.BROTLI_PARAM_QUALITY]: quality,
        [constants.BROTLI_PARAM_SIZE_HINT]: bundle.length,
      },
    }),
    promisify(gzip)(bundle, { level: constants.Z_BEST_COMPRESSION }),
  ]);
  return { br, gzip: gzipped };
}

/** The build's compressed copies, when both are there and hold exactly `bundle`. */
export async function builtCopiesOf(bundle: Buffer): Promise<Compressed | null> {
  try {
    const [br, gzipped] = await Promise.all([
      readFile(`${BUILT_BUNDLE}.br`),
      readFile(`${BUILT_BUNDLE}.gz`),
    ]);
    const [fromBr, fromGzip] = await Promise.all([
      promisify(brotliDecompress)(br),
      promisify(gunzip)(gzipped),
    ]);
    return fromBr.equals(bundle) && fromGzip.equals(bundle) ? { br, gzip: gzipped } : null;
  } catch {
    return null;
  }
}

let loading: Promise<ImmutableAsset> | undefined;

/**
 * Scalar's bundle as `scalar.<hash>.js`, loaded once per process on first use (not at start-up):
 * the build's copy and its compressed ones, so production needs no dev dependency; compressed
 * here when the build left only the bundle; from the package before any build (in tests).
 */
export function scalarScript(): Promise<ImmutableAsset> {
  loading ??= load().catch((error: unknown) => {
    loading = undefined; // the next request tries again
    throw error;
  });
  return loading;
}

async function load(): Promise<ImmutableAsset> {
  const identity = existsSync(BUILT_BUNDLE)
    ? withoutSourceMapComment(await readFile(BUILT_BUNDLE))
    : await packagedBundle();
  const compressed = (await builtCopiesOf(identity)) ?? (await compress(identity, 'serve'));
  return new ImmutableAsset('scalar', 'js', JAVASCRIPT, identity, compressed);
}

function withoutSourceMapComment(bundle: Buffer): Buffer {
  const tail = bundle.subarray(-1024).toString('latin1'); // one character per byte
  const comment = SOURCE_MAP_COMMENT.exec(tail);
  if (!comment) return bundle;
  return bundle.subarray(0, bundle.length - tail.length + comment.index + 1); // keeps the \n
}
