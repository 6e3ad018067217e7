import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import Router from '@koa/router';
import { DOCS_ASSETS, type OpenApiDocument } from './openapi-document.js';

/**
 * The page's policy. Scripts: its own files only (no inline script, no eval). Styles: Scalar sets
 * inline style attributes and adds style elements without a nonce (its code editor), so inline
 * styles are allowed; nothing is loaded from, or sent to, another origin.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * Scalar's settings: system fonts, no telemetry, no AI agent, no calls to scalar.com, and no
 * "Open API Client" link (it would hand this document's URL to client.scalar.com); requests are
 * tried in the page itself.
 */
const SCALAR_CONFIGURATION = {
  url: '/openapi.json',
  hideClientButton: true,
  withDefaultFonts: false,
  telemetry: false,
  showDeveloperTools: 'never',
  agent: { disabled: true },
  mcp: { disabled: true },
  documentDownloadType: 'json',
  defaultOpenAllTags: true,
};

const PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Task API reference</title>
    <link rel="icon" href="data:," />
  </head>
  <body>
    <div id="api-reference-app"></div>
    <script src="/docs/docs.js"></script>
    <script src="/docs/scalar.js"></script>
  </body>
</html>
`;

// Runs before Scalar's bundle: the zod inside it would otherwise try new Function() to see
// whether it may compile validators, which the policy refuses (and reports). Then mounts the page.
const DOCS_SCRIPT = `globalThis.__zod_globalConfig = { ...globalThis.__zod_globalConfig, jitless: true };
document.addEventListener('DOMContentLoaded', function () {
  Scalar.createApiReference('#api-reference-app', ${JSON.stringify(SCALAR_CONFIGURATION)});
});
`;

const JAVASCRIPT = 'text/javascript; charset=utf-8';

/**
 * GET /openapi.json (the document, serialized once), GET /docs (an interactive reference of it,
 * Scalar's standalone bundle from its npm package, served from memory) and its scripts.
 */
export function apiDocsRoutes(document: OpenApiDocument): Router {
  const json = JSON.stringify(document);
  // The 5 MB bundle is read on the first request for it, not at every start.
  const assets: Record<(typeof DOCS_ASSETS)[number], () => string> = {
    'docs.js': () => DOCS_SCRIPT,
    'scalar.js': scalarBundle,
  };
  const router = new Router();
  router.get('/openapi.json', (ctx) => {
    ctx.set('Cache-Control', 'no-cache');
    ctx.type = 'application/json; charset=utf-8';
    ctx.body = json;
  });
  router.get('/docs', (ctx) => {
    ctx.set('Cache-Control', 'no-cache');
    ctx.set('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    ctx.type = 'text/html; charset=utf-8';
    ctx.body = PAGE;
  });
  router.get('/docs/:asset', (ctx, next) => {
    const name = ctx.params.asset as keyof typeof assets;
    if (!Object.hasOwn(assets, name)) return next(); // 404, /docs/toString included
    const asset = assets[name];
    ctx.set('Cache-Control', 'no-cache');
    ctx.type = JAVASCRIPT;
    ctx.body = asset();
  });
  return router;
}

let bundle: string | undefined;

/** Where `npm run build` copies the bundle, from src/ and from dist/ alike. */
const BUILT_BUNDLE = new URL('../../../../dist/docs/scalar.js', import.meta.url);

/**
 * @scalar/api-reference's browser build: one file with its styles inside, read once per process.
 * The build copies it into dist/docs, so production needs no dev dependency; before a build (in
 * tests) it comes from the package. Its source map is not served, so the comment naming it goes.
 */
function scalarBundle(): string {
  if (bundle === undefined) {
    const file = existsSync(BUILT_BUNDLE)
      ? BUILT_BUNDLE
      : join(
          dirname(createRequire(import.meta.url).resolve('@scalar/api-reference')),
          'browser',
          'standalone.js',
        );
    bundle = readFileSync(file, 'utf8').replace(/\n\/\/# sourceMappingURL=\S*\s*$/, '\n');
  }
  return bundle;
}
