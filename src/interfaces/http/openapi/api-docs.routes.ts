import { z } from 'zod';
import { defineOperation, json } from '../operation.js';
import { ImmutableAsset, JAVASCRIPT } from './immutable-asset.js';
import { scalarScript } from './scalar-bundle.js';

/** Files of the documentation page, served under /docs/{asset}: a name and its content's hash. */
export const DOCS_ASSET_NAME = /^(scalar|docs)\.[0-9a-f]{16}\.js$/;

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

const docsScript = new ImmutableAsset('docs', 'js', JAVASCRIPT, Buffer.from(DOCS_SCRIPT));
// Scalar's 5 MB bundle is read on the first request that needs its name, not at every start.
const scripts = async () => [docsScript, await scalarScript()];

/**
 * GET /openapi.json (the document, serialized once), GET /docs (an interactive reference of it,
 * Scalar's standalone bundle from its npm package, served from memory) and its scripts, under
 * content-hashed names, compressed, cached by browsers for a year.
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
      // No schema: a page and a script are no data to validate (nor strings to bound).
      200: { description: 'The page.', content: { 'text/html': {} } },
    },
    handle: async ({ ctx }) => {
      const html = page(await scripts());
      ctx.set('Cache-Control', 'no-cache');
      ctx.set('Content-Security-Policy', CONTENT_SECURITY_POLICY);
      ctx.type = 'text/html; charset=utf-8';
      ctx.body = html;
    },
  }),
  defineOperation({
    method: 'get',
    path: '/docs/{asset}',
    operationId: 'apiReferenceAsset',
    summary: "The page's scripts",
    tag: 'Documentation',
    access: 'public',
    pathParameters: z.object({
      asset: z.string().max(64).regex(DOCS_ASSET_NAME).meta({
        description:
          'A script the page links to, named with a hash of its content; the names of other versions are 404.',
        example: 'scalar.1a2b3c4d5e6f7a8b.js',
      }),
    }),
    answers: {
      200: {
        description:
          'The script, brotli- or gzip-compressed as `Accept-Encoding` allows; cacheable for a year (`immutable`), with a strong `ETag` per encoding.',
        content: { 'text/javascript': {} },
      },
      304: { description: '`If-None-Match` names this version: what you have is current.' },
    },
    problems: [['not-found', 'no such file, or another version of it.']],
    handle: async ({ ctx }) => {
      const name = String(ctx.params.asset);
      // Left without a body, any other name is the router's 404, without reading the bundle.
      if (!DOCS_ASSET_NAME.test(name)) return;
      const asset = (await scripts()).find((script) => script.name === name);
      asset?.respond(ctx);
    },
  }),
];
