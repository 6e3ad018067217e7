import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Middleware } from 'koa';
import { markRoute } from './route-template.js';

const FILES: Record<string, { file: string; type: string }> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/app.js': { file: 'app.js', type: 'text/javascript; charset=utf-8' },
  '/app.js.map': { file: 'app.js.map', type: 'application/json; charset=utf-8' },
  '/styles.css': { file: 'styles.css', type: 'text/css; charset=utf-8' },
};

// The page loads only its own script and style, and talks only to this origin.
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** True when the page has been built into `dir` (npm run build). */
export function webUiBuilt(dir: string): boolean {
  return existsSync(join(dir, 'index.html')) && existsSync(join(dir, 'app.js'));
}

/** The comment that points a browser's developer tools at app.js.map. */
const SOURCE_MAP_COMMENT = /\n\/\/# sourceMappingURL=\S*\s*$/;

/**
 * Serves the task page (built by esbuild into `dir`) at `/`, from memory. Without `sourceMaps`
 * (in production), app.js.map is not served and app.js does not mention it: the readable
 * source would only help someone probing the page.
 */
export function webUi(
  dir: string,
  options: { sourceMaps: boolean } = { sourceMaps: true },
): Middleware {
  const assets = new Map(
    Object.entries(FILES)
      .filter(([path]) => options.sourceMaps || !path.endsWith('.map'))
      .filter(([, { file }]) => existsSync(join(dir, file)))
      .map(([path, { file, type }]) => [path, { body: readAsset(dir, file, options), type }]),
  );
  return async (ctx, next) => {
    const asset = ctx.method === 'GET' || ctx.method === 'HEAD' ? assets.get(ctx.path) : undefined;
    if (!asset) return next();
    markRoute(ctx, ctx.path); // one of FILES' paths
    ctx.set('Cache-Control', 'no-cache');
    if (ctx.path === '/') ctx.set('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    ctx.type = asset.type;
    ctx.body = asset.body;
  };
}

function readAsset(dir: string, file: string, options: { sourceMaps: boolean }): Buffer {
  const body = readFileSync(join(dir, file));
  if (options.sourceMaps || !file.endsWith('.js')) return body;
  return Buffer.from(body.toString('utf8').replace(SOURCE_MAP_COMMENT, '\n'));
}
