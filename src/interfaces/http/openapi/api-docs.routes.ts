import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { defineOperation, json } from '../operation.js';

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

/** Files of the documentation page, served under /docs/{asset}. */
const DOCS_ASSETS = ['scalar.js', 'docs.js'] as const;

// The 5 MB bundle is read on the first request for it, not at every start.
const ASSETS: Record<(typeof DOCS_ASSETS)[number], () => string> = {
  'docs.js': () => DOCS_SCRIPT,
  'scalar.js': scalarBundle,
};

/**
 * GET /openapi.json (the document, serialized once), GET /docs (an interactive reference of it,
 * Scalar's standalone bundle from its npm package, served from memory) and its scripts.
 */
export const API_DOCS_ROUTES = [
  defineOperation({
    method: 'get',
    path: '/openapi.json',
    operationId: 'openApiDocument',
    summary: 'This document',
    tag: 'Documentation',
    access: 'public',
    answers: {
      200: json(
        'OpenAPI 3.1, generated from the schemas that validate the requests.',
        z.looseObject({ openapi: z.string().max(16) }),
      ),
    },
    handle: ({ ctx, openApiJson }) => {
      ctx.set('Cache-Control', 'no-cache');
      ctx.type = 'application/json; charset=utf-8';
      ctx.body = openApiJson;
    },
  }),
  defineOperation({
    method: 'get',
    path: '/docs',
    operationId: 'apiReference',
    summary: 'This reference, as a page',
    tag: 'Documentation',
    access: 'public',
    answers: {
      200: { description: 'The page.', content: { 'text/html': { schema: z.string() } } },
    },
    handle: ({ ctx }) => {
      ctx.set('Cache-Control', 'no-cache');
      ctx.set('Content-Security-Policy', CONTENT_SECURITY_POLICY);
      ctx.type = 'text/html; charset=utf-8';
      ctx.body = PAGE;
    },
  }),
  defineOperation({
    method: 'get',
    path: '/docs/{asset}',
    operationId: 'apiReferenceAsset',
    summary: "The page's scripts",
    tag: 'Documentation',
    access: 'public',
    pathParameters: z.object({ asset: z.enum(DOCS_ASSETS) }),
    answers: {
      200: { description: 'The script.', content: { 'text/javascript': { schema: z.string() } } },
    },
    problems: [['not-found', 'no such file.']],
    handle: ({ ctx }) => {
      const name = String(ctx.params.asset);
      // Left without a body, any other name is the router's 404 (/docs/toString included).
      if (!Object.hasOwn(ASSETS, name)) return;
      ctx.set('Cache-Control', 'no-cache');
      ctx.type = JAVASCRIPT;
      ctx.body = ASSETS[name as keyof typeof ASSETS]();
    },
  }),
];

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
