import Router from '@koa/router';
import { ImmutableAsset, JAVASCRIPT } from './immutable-asset.js';
import { DOCS_ASSET_NAME, type OpenApiDocument } from './openapi-document.js';
import { scalarScript } from './scalar-bundle.js';

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

/** The page, linking its scripts by their content-hashed names. */
function page(scripts: readonly ImmutableAsset[]): string {
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Task API reference</title>
    <link rel="icon" href="data:," />
  </head>
  <body>
    <div id="api-reference-app"></div>
${scripts.map((script) => `    <script src="/docs/${script.name}"></script>\n`).join('')}  </body>
</html>
`;
}

// Runs before Scalar's bundle: the zod inside it would otherwise try new Function() to see
// whether it may compile validators, which the policy refuses (and reports). Then mounts the page.
const DOCS_SCRIPT = `globalThis.__zod_globalConfig = { ...globalThis.__zod_globalConfig, jitless: true };
document.addEventListener('DOMContentLoaded', function () {
  Scalar.createApiReference('#api-reference-app', ${JSON.stringify(SCALAR_CONFIGURATION)});
});
`;

/**
 * GET /openapi.json (the document, serialized once), GET /docs (an interactive reference of it,
 * Scalar's standalone bundle from its npm package, served from memory) and its scripts, under
 * content-hashed names, compressed, cached by browsers for a year.
 */
export function apiDocsRoutes(document: OpenApiDocument): Router {
  const json = JSON.stringify(document);
  const docsScript = new ImmutableAsset('docs', 'js', JAVASCRIPT, Buffer.from(DOCS_SCRIPT));
  // Scalar's 5 MB bundle is read on the first request that needs its name, not at every start.
  const scripts = async () => [docsScript, await scalarScript()];
  const router = new Router();
  router.get('/openapi.json', (ctx) => {
    ctx.set('Cache-Control', 'no-cache');
    ctx.type = 'application/json; charset=utf-8';
    ctx.body = json;
  });
  router.get('/docs', async (ctx) => {
    const html = page(await scripts());
    ctx.set('Cache-Control', 'no-cache');
    ctx.set('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    ctx.type = 'text/html; charset=utf-8';
    ctx.body = html;
  });
  router.get('/docs/:asset', async (ctx, next) => {
    const name = ctx.params.asset ?? '';
    if (!DOCS_ASSET_NAME.test(name)) return next(); // 404 without reading the bundle
    const asset = (await scripts()).find((script) => script.name === name);
    if (!asset) return next(); // 404: another version's name
    asset.respond(ctx);
  });
  return router;
}
