import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type Browser, type Page } from 'playwright-core';
import { startApiProcess, type RunningProcess } from '../support/child-process.js';
import { TEST_SECRET } from '../support/test-service.js';
import { launchChromium, SCREENSHOTS } from '../support/chromium.js';

interface Observed {
  readonly violations: string[];
  readonly foreignRequests: string[];
  readonly errors: string[];
}

/** A page that records CSP violations, requests to any other origin, and script errors. */
async function watchedPage(browser: Browser, origin: string): Promise<[Page, Observed]> {
  const observed: Observed = { violations: [], foreignRequests: [], errors: [] };
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.exposeFunction('reportViolation', (violation: string) =>
    observed.violations.push(violation),
  );
  // Runs in the page, before its own scripts (as text: this file is compiled without the DOM).
  await page.addInitScript({
    content: `document.addEventListener('securitypolicyviolation', (event) =>
      reportViolation(event.violatedDirective + ' ' + event.blockedURI + ' ' + event.sourceFile));`,
  });
  page.on('request', (request) => {
    const url = request.url();
    if (!url.startsWith('data:') && new URL(url).origin !== origin) {
      observed.foreignRequests.push(url);
    }
  });
  page.on('console', (message) => {
    if (message.type() === 'error') observed.errors.push(message.text());
  });
  page.on('pageerror', (error) => observed.errors.push(error.message));
  return [page, observed];
}

describe('the API reference page (/docs) in a real browser', () => {
  let dataDir: string;
  let api: RunningProcess;
  let url: string;
  let browser: Browser;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'task-api-docs-'));
    const started = await startApiProcess({ DATA_DIR: dataDir, BETTER_AUTH_SECRET: TEST_SECRET });
    api = started.process;
    url = started.url;
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await api?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('renders every operation of the document, under its CSP, talking to nobody else', async () => {
    const document = (await (await fetch(`${url}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { summary: string }>>;
    };
    const summaries = Object.values(document.paths).flatMap((item) =>
      Object.values(item).map((operation) => operation.summary),
    );
    expect(summaries).toContain('Create a task');

    const [page, observed] = await watchedPage(browser, new URL(url).origin);
    const response = await page.goto(`${url}/docs`);
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self';");
    const sidebar = page.getByRole('complementary', { name: /^Sidebar/ });
    for (const summary of summaries) {
      await sidebar.getByText(summary, { exact: true }).first().waitFor({ timeout: 15_000 });
    }
    await page.getByRole('heading', { name: 'Task API' }).first().waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'docs-1-reference.png') });
    // No link that would hand this document's URL to Scalar's hosted client.
    await expect(page.getByText('Open API Client').count()).resolves.toBe(0);

    await sidebar.getByText('Create a task', { exact: true }).first().click();
    const operation = page.getByRole('heading', { name: 'Create a task' }).first();
    await operation.waitFor();
    await page.getByText('Idempotency-Key').first().waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'docs-2-create-task.png') });

    // Trying a request from the page reaches this service only.
    await sidebar.getByText('Liveness', { exact: true }).first().click();
    const liveness = page.locator('section', {
      has: page.getByRole('heading', { name: 'Liveness', exact: true }),
    });
    await liveness.getByRole('button', { name: /Test Request/ }).click();
    await page.getByRole('button', { name: /^Send/ }).first().click();
    await page.getByText('200 OK').first().waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'docs-3-try-it.png'), animations: 'disabled' });

    expect(observed.violations).toEqual([]);
    expect(observed.foreignRequests).toEqual([]);
    expect(observed.errors).toEqual([]);
  });
});
