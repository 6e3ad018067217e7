import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startApiProcess, type RunningProcess } from '../support/child-process.js';
import { freePort } from '../support/free-port.js';
import { createPostgresDatabase, type TestDatabase } from '../support/test-database.js';
import { TEST_SECRET } from '../support/test-service.js';
import { expectTitles, signUp, titles } from '../support/task-page.js';
import { launchChromium, SCREENSHOTS } from '../support/chromium.js';

async function addTask(page: Page, title: string, description = ''): Promise<void> {
  await page.getByPlaceholder('What needs doing?').fill(title);
  await page.getByPlaceholder('Details (optional)').fill(description);
  await page.getByRole('button', { name: 'Add task' }).click();
  await page.locator('.task .title', { hasText: title }).waitFor();
}

describe('the task page in a real browser', () => {
  let db: TestDatabase;
  let api: RunningProcess;
  let url: string;
  let browser: Browser;
  let ada: BrowserContext;
  let grace: BrowserContext;

  beforeAll(async () => {
    db = await createPostgresDatabase('e2e');
    if (db.config.kind !== 'postgres') throw new Error('needs PostgreSQL');
    const port = await freePort();
    const started = await startApiProcess({
      PORT: String(port),
      DATABASE_URL: db.config.url,
      BETTER_AUTH_URL: `http://127.0.0.1:${port}`,
      BETTER_AUTH_SECRET: TEST_SECRET,
    });
    api = started.process;
    url = started.url;
    browser = await launchChromium();
    ada = await browser.newContext({ viewport: { width: 1100, height: 760 } });
    grace = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true });
  });

  afterAll(async () => {
    await browser?.close();
    await api?.stop();
    await db?.drop();
  });

  it('lets a user sign up, add tasks, complete one, and find them after a reload', async () => {
    const page = await ada.newPage();
    await page.goto(url);
    await page.locator('#auth-view').waitFor({ state: 'visible' });
    await page.screenshot({ path: join(SCREENSHOTS, '1-sign-in.png') });

    await signUp(page, url, 'Ada Lovelace', 'ada@example.com');
    await page.locator('#empty', { hasText: 'No tasks yet' }).waitFor();
    await addTask(page, 'Write the report', 'Quarterly numbers, due Friday');
    await addTask(page, 'Buy milk');
    await addTask(page, 'Call the bank');
    await page.locator('.task', { hasText: 'Buy milk' }).getByRole('checkbox').check();
    await page.locator('.task.completed', { hasText: 'Buy milk' }).waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, '2-tasks.png') });

    await page.reload();
    await expectTitles(page, ['Call the bank', 'Buy milk', 'Write the report']);
    await expect(page.locator('.task.completed .title').allTextContents()).resolves.toEqual([
      'Buy milk',
    ]);
    await expect(page.locator('#who').textContent()).resolves.toBe('ada@example.com');

    await page.getByRole('tab', { name: 'Pending' }).click();
    await expectTitles(page, ['Call the bank', 'Write the report']);
    await page.getByRole('tab', { name: 'All' }).click();
    await page.locator('.task', { hasText: 'Buy milk' }).waitFor();
  });

  it('edits a task in place and explains a refused edit in words', async () => {
    const page = ada.pages()[0] as Page;
    const item = page.locator('.task', { hasText: 'Call the bank' });
    await item.getByRole('button', { name: 'Edit' }).click();
    const editor = page.locator('.task.editing');
    await editor.getByLabel('Title').fill('   ');
    await editor.getByRole('button', { name: 'Save' }).click();
    await editor.locator('.error', { hasText: 'Title must not be empty.' }).waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, '3-edit-error.png') });
    await editor.getByLabel('Title').fill('Call the bank about the loan');
    await editor.getByRole('button', { name: 'Save' }).click();
    await page.locator('.task .title', { hasText: 'Call the bank about the loan' }).waitFor();
  });

  it('tells the person, in words, when a task was changed in another tab', async () => {
    const first = ada.pages()[0] as Page;
    const second = await ada.newPage();
    await second.goto(url);
    await second.locator('.task', { hasText: 'Write the report' }).waitFor();

    const inSecond = second.locator('.task', { hasText: 'Write the report' });
    await inSecond.getByRole('button', { name: 'Edit' }).click();
    await second.locator('.task.editing').getByLabel('Title').fill('Write the annual report');
    await second.locator('.task.editing').getByRole('button', { name: 'Save' }).click();
    await second.locator('.task .title', { hasText: 'Write the annual report' }).waitFor();

    // The first tab shows the change at once, except in an editor open there: its save must
    // not overwrite the new title.
    const editor = first.locator('.task.editing');
    await first.locator('.task .title', { hasText: 'Write the annual report' }).waitFor();
    await first
      .locator('.task', { hasText: 'Write the annual report' })
      .getByRole('button', { name: 'Edit' })
      .click();
    await editor.getByLabel('Title').fill('Write the short report');
    await second.locator('.task .title', { hasText: 'Write the annual report' }).waitFor();
    await second
      .locator('.task', { hasText: 'Write the annual report' })
      .getByRole('checkbox')
      .check();
    const notice = first.locator('#tasks-error');
    await notice.filter({ hasText: 'changed somewhere else' }).waitFor();
    await editor.getByRole('button', { name: 'Save' }).click();
    await notice.filter({ hasText: 'your edit was not saved' }).waitFor();
    await first.locator('.task.completed .title', { hasText: 'Write the annual report' }).waitFor();
    await first.screenshot({ path: join(SCREENSHOTS, '3b-changed-elsewhere.png') });
    await expect(first.locator('.task.editing').count()).resolves.toBe(0);
    await second.close();
  });

  it('shows a second user none of the first user’s tasks', async () => {
    const page = await grace.newPage();
    await signUp(page, url, 'Grace Hopper', 'grace@example.com');
    await page.locator('#empty', { hasText: 'No tasks yet' }).waitFor();
    await expectTitles(page, []);
    await addTask(page, 'Find the bug');
    await page.screenshot({ path: join(SCREENSHOTS, '4-second-user-phone.png') });
    expect(await titles(page)).toEqual(['Find the bug']);
  });

  it('signs out, after which the old session gets no more tokens', async () => {
    const page = ada.pages()[0] as Page;
    const cookie = (await ada.cookies())
      .filter((c) => c.name.includes('better-auth'))
      .map((c) => `${c.name}=${c.value}`)
      .join('; ');
    expect((await fetch(`${url}/api/auth/token`, { headers: { cookie } })).status).toBe(200);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.locator('#auth-view').waitFor({ state: 'visible' });
    expect((await fetch(`${url}/api/auth/token`, { headers: { cookie } })).status).toBe(401);

    await page.reload();
    await page.locator('#auth-view').waitFor({ state: 'visible' });
    expect(await page.locator('#tasks-view').isHidden()).toBe(true);
  });

  it('explains a wrong password in words', async () => {
    const page = ada.pages()[0] as Page;
    await page.getByLabel('Email').fill('ada@example.com');
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in', exact: true }).last().click();
    const error = page.locator('#auth-error');
    await error.waitFor({ state: 'visible' });
    await expect(error.textContent()).resolves.toMatch(/invalid email or password/i);
    await page.screenshot({ path: join(SCREENSHOTS, '5-wrong-password.png') });
  });
});
