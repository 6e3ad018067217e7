/**
 * The example Next.js app (examples/nextjs) as the issuer, end to end: `next start` runs Better
 * Auth with the JWT plugin on PostgreSQL, the Task API runs as another process trusting only that
 * app's key set (AUTH_EMBEDDED=false), and Chromium drives the app's pages, whose typed client
 * calls the API with the app's tokens.
 *
 * Not a *.test.ts: `npm test` leaves it out, since it needs the example installed and built.
 * `npm run test:nextjs` does both, then runs this file.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startApiProcess, type RunningProcess } from '../support/child-process.js';
import { freePort } from '../support/free-port.js';
import { migrateNextApp, startNextApp } from '../support/nextjs-app.js';
import { createPostgresDatabase, type TestDatabase } from '../support/test-database.js';
import { eventually } from '../support/waiting.js';
import { launchChromium, SCREENSHOTS } from '../support/chromium.js';

const APP_SECRET = 'nextjs-app-secret-that-is-at-least-32-characters';
const PASSWORD = 'correct-horse-battery-staple';
/** How soon a change made on another device must show (issue 20). */
const LIVE_MS = 2_000;

const shot = (page: Page, name: string) =>
  page.screenshot({ path: join(SCREENSHOTS, `nextjs-${name}.png`), fullPage: true });

const titles = (page: Page) => page.locator('.task .title').allTextContents();

/** Waits until the page lists exactly `expected`, newest first: it loads and changes asynchronously. */
async function expectTitles(page: Page, expected: string[]): Promise<void> {
  await eventually(async () => expect(await titles(page)).toEqual(expected));
}

async function addTask(page: Page, title: string, details = ''): Promise<void> {
  await page.getByPlaceholder('What needs doing?').fill(title);
  await page.getByPlaceholder('Details (optional)').fill(details);
  await page.getByRole('button', { name: 'Add task' }).click();
  await page.locator('.task .title', { hasText: title }).waitFor();
}

describe('the example Next.js app, issuing the tokens the Task API trusts', () => {
  let appDb: TestDatabase;
  let apiDb: TestDatabase;
  let app: RunningProcess;
  let api: RunningProcess;
  let appUrl: string;
  let apiUrl: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  /** What the API itself holds for the signed-in user, asked with a token from the app. */
  async function tasksInTheApi(): Promise<{ title: string; completed: boolean }[]> {
    const cookie = (await context.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
    const { token } = (await (
      await fetch(`${appUrl}/api/auth/token`, { headers: { cookie } })
    ).json()) as { token: string };
    const auth = { Authorization: `Bearer ${token}` };
    const me = (await (await fetch(`${apiUrl}/api/me`, { headers: auth })).json()) as {
      id: string;
    };
    const list = await fetch(`${apiUrl}/api/${me.id}/tasks`, { headers: auth });
    const { items } = (await list.json()) as { items: { title: string; completed: boolean }[] };
    return items.map(({ title, completed }) => ({ title, completed }));
  }

  beforeAll(async () => {
    [appDb, apiDb] = await Promise.all([
      createPostgresDatabase('nextjs_app'),
      createPostgresDatabase('nextjs_api'),
    ]);
    if (appDb.config.kind !== 'postgres' || apiDb.config.kind !== 'postgres') {
      throw new Error('needs PostgreSQL');
    }
    const [appPort, apiPort] = [await freePort(), await freePort()];
    appUrl = `http://127.0.0.1:${appPort}`;
    apiUrl = `http://127.0.0.1:${apiPort}`;

    const appEnv = {
      DATABASE_URL: appDb.config.url,
      BETTER_AUTH_URL: appUrl,
      BETTER_AUTH_SECRET: APP_SECRET,
      TASK_API_URL: apiUrl,
    };
    await migrateNextApp(appEnv);
    app = await startNextApp(appPort, appEnv);
    api = (
      await startApiProcess({
        PORT: String(apiPort),
        DATABASE_URL: apiDb.config.url,
        AUTH_EMBEDDED: 'false',
        AUTH_ISSUER: appUrl,
        AUTH_JWKS_URL: `${appUrl}/api/auth/jwks`,
        AUTH_AUDIENCE: apiUrl,
        CORS_ORIGINS: appUrl,
      })
    ).process;

    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1000, height: 720 } });
    page = await context.newPage();
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await api?.stop();
    await app?.stop();
    await appDb?.drop();
    await apiDb?.drop();
  });

  it('sends a visitor to sign in, and lets them create an account', async () => {
    await page.goto(appUrl);
    await page.waitForURL(`${appUrl}/sign-in`);
    await shot(page, '1-sign-in');

    await page.getByRole('link', { name: 'Create an account' }).click();
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('alert').filter({ hasText: 'Enter your name.' }).waitFor();
    await shot(page, '2-sign-up');
    await page.getByLabel('Name').fill('Ada Lovelace');
    await page.getByLabel('Email').fill('ada@example.com');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Create account' }).click();

    await page.getByText('No tasks yet').waitFor();
    expect(page.url()).toBe(`${appUrl}/`);
    await expect(page.locator('.account span').textContent()).resolves.toBe('ada@example.com');
  });

  it('adds, completes, edits and deletes tasks, all kept by the Task API', async () => {
    await addTask(page, 'Write the report', 'Quarterly numbers, due Friday');
    await addTask(page, 'Buy milk');
    await addTask(page, 'Call the bank');
    await addTask(page, 'Water the plants');
    await page.getByRole('checkbox', { name: 'Buy milk' }).click();
    await page.locator('.task.completed', { hasText: 'Buy milk' }).waitFor();

    await page
      .locator('.task', { hasText: 'Call the bank' })
      .getByRole('button', { name: 'Edit' })
      .click();
    const editor = page.locator('.task.editing');
    await editor.getByLabel('Title').fill('   ');
    await editor.getByRole('button', { name: 'Save' }).click();
    // The API refuses the blank title (422); the page says why, in words.
    await editor.getByRole('alert').filter({ hasText: 'Title must not be empty.' }).waitFor();
    await shot(page, '3-edit-refused');
    await editor.getByLabel('Title').fill('Call the bank about the loan');
    await editor.getByLabel('Details').fill('Ask for the fixed rate');
    await editor.getByRole('button', { name: 'Save' }).click();
    await page.locator('.task .description', { hasText: 'Ask for the fixed rate' }).waitFor();

    await page
      .locator('.task', { hasText: 'Water the plants' })
      .getByRole('button', { name: 'Delete' })
      .click();
    await expectTitles(page, ['Call the bank about the loan', 'Buy milk', 'Write the report']);
    await shot(page, '4-tasks');

    await page.reload();
    await expectTitles(page, ['Call the bank about the loan', 'Buy milk', 'Write the report']);
    await expect(tasksInTheApi()).resolves.toEqual([
      { title: 'Call the bank about the loan', completed: false },
      { title: 'Buy milk', completed: true },
      { title: 'Write the report', completed: false },
    ]);
  });

  it('signs out, after which the old session gets no more tokens', async () => {
    const cookie = (await context.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${appUrl}/sign-in`);

    const token = await fetch(`${appUrl}/api/auth/token`, { headers: { cookie } });
    expect(token.status).toBe(401);
    await page.goto(appUrl);
    await page.waitForURL(`${appUrl}/sign-in`);
  });

  it('explains a wrong password in words, and signs back in to the same tasks', async () => {
    await page.getByLabel('Email').fill('ada@example.com');
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page
      .getByRole('alert')
      .filter({ hasText: /invalid email or password/i })
      .waitFor();
    await shot(page, '5-wrong-password');

    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expectTitles(page, ['Call the bank about the loan', 'Buy milk', 'Write the report']);

    await page.setViewportSize({ width: 390, height: 700 });
    await shot(page, '6-phone');
    await page.setViewportSize({ width: 1000, height: 720 });
  });

  it('shows a change made on another device within 2 s, and none to another user', async () => {
    const phone = await (await browser.newContext({ isMobile: true })).newPage();
    await phone.goto(appUrl);
    await phone.waitForURL(`${appUrl}/sign-in`);
    await phone.getByLabel('Email').fill('ada@example.com');
    await phone.getByLabel('Password').fill(PASSWORD);
    await phone.getByRole('button', { name: 'Sign in' }).click();
    await expectTitles(phone, ['Call the bank about the loan', 'Buy milk', 'Write the report']);
    const other = await (await browser.newContext()).newPage();
    await other.goto(`${appUrl}/sign-up`);
    await other.getByLabel('Name').fill('Grace Hopper');
    await other.getByLabel('Email').fill('grace@example.com');
    await other.getByLabel('Password').fill(PASSWORD);
    await other.getByRole('button', { name: 'Create account' }).click();
    await other.getByText('No tasks yet').waitFor();

    const live = { timeout: LIVE_MS };
    const task = (on: Page, title: string) => on.locator('.task:not(.editing)', { hasText: title });
    await addTask(page, 'Book the train');
    await task(phone, 'Book the train').waitFor(live);
    await phone.getByRole('checkbox', { name: 'Book the train' }).click();
    await page.locator('.task.completed', { hasText: 'Book the train' }).waitFor(live);

    // The phone is editing the task when the laptop renames it: what it typed stays.
    await task(phone, 'Book the train').getByRole('button', { name: 'Edit' }).click();
    await phone.locator('.task.editing').getByLabel('Title').fill('Book the sleeper');
    await task(page, 'Book the train').getByRole('button', { name: 'Edit' }).click();
    await page.locator('.task.editing').getByLabel('Title').fill('Book the night train');
    await page.locator('.task.editing').getByRole('button', { name: 'Save' }).click();
    await phone
      .locator('.task.editing')
      .getByRole('status')
      .filter({ hasText: 'changed somewhere else' })
      .waitFor(live);
    await expect(phone.locator('.task.editing').getByLabel('Title').inputValue()).resolves.toBe(
      'Book the sleeper',
    );
    await shot(phone, '7-changed-elsewhere');
    await phone.locator('.task.editing').getByRole('button', { name: 'Cancel' }).click();
    await task(phone, 'Book the night train').waitFor();

    await task(phone, 'Book the night train').getByRole('button', { name: 'Delete' }).click();
    await task(page, 'Book the night train').waitFor({ state: 'detached', ...live });
    await expectTitles(page, ['Call the bank about the loan', 'Buy milk', 'Write the report']);
    await expectTitles(other, []);
    await phone.context().close();
    await other.context().close();
  });

  it('says so in words when the Task API cannot be reached', async () => {
    await api.stop();
    await page.getByRole('checkbox', { name: 'Write the report' }).click();
    await page
      .getByRole('alert')
      .filter({ hasText: 'The Task API could not be reached' })
      .waitFor();
    await shot(page, '8-api-down');
  });
});
