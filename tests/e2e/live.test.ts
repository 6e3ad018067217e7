/**
 * The page follows changes made elsewhere: two browser contexts signed in as the same user (a
 * laptop and a phone, each on its own instance of the API over one PostgreSQL, so a change also
 * crosses instances), and a third signed in as someone else.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type Browser, type Page } from 'playwright-core';
import { startApiProcess, type RunningProcess } from '../support/child-process.js';
import { freePort } from '../support/free-port.js';
import { createPostgresDatabase, type TestDatabase } from '../support/test-database.js';
import { TEST_SECRET } from '../support/test-service.js';
import { expectTitles, signIn, signUp } from '../support/task-page.js';
import { launchChromium, SCREENSHOTS } from '../support/chromium.js';

/** How soon a change made elsewhere must show (issue 20). */
const LIVE_MS = 2_000;

const task = (page: Page, title: string) =>
  page.locator('#task-list .task:not(.editing)', { hasText: title });

async function addTask(page: Page, title: string): Promise<void> {
  await page.getByPlaceholder('What needs doing?').fill(title);
  await page.getByRole('button', { name: 'Add task' }).click();
  await task(page, title).waitFor();
}

describe('the task page shows changes made on another device', () => {
  let db: TestDatabase;
  const apis: RunningProcess[] = [];
  let phoneApiPort: number;
  let browser: Browser;
  let laptop: Page;
  let phone: Page;
  let other: Page;

  const startApi = async (port: number) => {
    const started = await startApiProcess({
      PORT: String(port),
      DATABASE_URL: db.config.kind === 'postgres' ? db.config.url : '',
      BETTER_AUTH_URL: `http://127.0.0.1:${port}`,
      BETTER_AUTH_SECRET: TEST_SECRET,
    });
    apis.push(started.process);
    return started;
  };

  beforeAll(async () => {
    db = await createPostgresDatabase('e2e_live');
    if (db.config.kind !== 'postgres') throw new Error('needs PostgreSQL');
    phoneApiPort = await freePort();
    const laptopApi = await startApi(await freePort());
    const phoneApi = await startApi(phoneApiPort);
    browser = await launchChromium();
    laptop = await (await browser.newContext()).newPage();
    phone = await (await browser.newContext({ isMobile: true })).newPage();
    other = await (await browser.newContext()).newPage();
    await signUp(laptop, laptopApi.url, 'Ada Lovelace', 'ada@example.com');
    await signIn(phone, phoneApi.url, 'ada@example.com');
    await signUp(other, laptopApi.url, 'Grace Hopper', 'grace@example.com');
    await addTask(other, 'Find the bug');
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await Promise.all(apis.map((api) => api.stop()));
    await db?.drop();
  });

  it('shows a task added, completed, edited and deleted on one device on the other', async () => {
    await addTask(laptop, 'Buy milk');
    await task(phone, 'Buy milk').waitFor({ timeout: LIVE_MS });

    await task(phone, 'Buy milk').getByRole('checkbox').check();
    await laptop.locator('.task.completed', { hasText: 'Buy milk' }).waitFor({ timeout: LIVE_MS });

    await task(laptop, 'Buy milk').getByRole('button', { name: 'Edit' }).click();
    await laptop.locator('.task.editing').getByLabel('Title').fill('Buy oat milk');
    await laptop.locator('.task.editing').getByRole('button', { name: 'Save' }).click();
    await task(phone, 'Buy oat milk').waitFor({ timeout: LIVE_MS });
    await phone.screenshot({ path: join(SCREENSHOTS, 'live-1-phone.png') });

    await task(phone, 'Buy oat milk').getByRole('button', { name: 'Delete' }).click();
    await task(laptop, 'Buy oat milk').waitFor({ state: 'detached', timeout: LIVE_MS });
    await expectTitles(laptop, []);
  });

  it('keeps what the person is typing when the task changes elsewhere, and says so', async () => {
    await addTask(laptop, 'Plan the trip');
    await task(phone, 'Plan the trip').getByRole('button', { name: 'Edit' }).click();
    const editor = phone.locator('.task.editing');
    await editor.getByLabel('Title').fill('Plan the trip to Rome');

    await task(laptop, 'Plan the trip').getByRole('button', { name: 'Edit' }).click();
    await laptop.locator('.task.editing').getByLabel('Title').fill('Plan the holiday');
    await laptop.locator('.task.editing').getByRole('button', { name: 'Save' }).click();

    await phone
      .locator('#tasks-error', { hasText: 'was changed somewhere else' })
      .waitFor({ timeout: LIVE_MS });
    await expect(editor.getByLabel('Title').inputValue()).resolves.toBe('Plan the trip to Rome');
    await phone.screenshot({ path: join(SCREENSHOTS, 'live-2-editing.png') });
    // Cancel shows the task as it is now, and the notice has said its piece.
    await editor.getByRole('button', { name: 'Cancel' }).click();
    await task(phone, 'Plan the holiday').waitFor();
    await phone.locator('#tasks-error').waitFor({ state: 'hidden' });
  });

  it('catches up after its connection dropped, from the last change it saw', async () => {
    const phoneApi = apis[1] as RunningProcess;
    await phoneApi.stop('SIGKILL'); // the phone's stream drops without a goodbye
    await addTask(laptop, 'Written while the phone was away');
    await task(laptop, 'Plan the holiday').getByRole('button', { name: 'Delete' }).click();
    await task(laptop, 'Plan the holiday').waitFor({ state: 'detached' });

    await startApi(phoneApiPort);
    // The client reconnects with backoff, then resumes after the last event it saw.
    await task(phone, 'Written while the phone was away').waitFor({ timeout: 15_000 });
    await expectTitles(phone, ['Written while the phone was away']);
  });

  it('keeps an open editor when a change elsewhere has the list loaded again', async () => {
    // Sorted by title, the page cannot place a new task itself: it asks the API for the list.
    await phone.getByLabel('Sort').selectOption('title:asc');
    await task(phone, 'Written while the phone was away')
      .getByRole('button', { name: 'Edit' })
      .click();
    const editor = phone.locator('.task.editing');
    await editor.getByLabel('Title').fill('Written on the train');

    await addTask(laptop, 'Answer the mail');
    await task(phone, 'Answer the mail').waitFor({ timeout: LIVE_MS });
    await expect(editor.getByLabel('Title').inputValue()).resolves.toBe('Written on the train');
    await editor.getByRole('button', { name: 'Save' }).click();
    await task(laptop, 'Written on the train').waitFor({ timeout: LIVE_MS });
  });

  it('shows another user none of it', async () => {
    await expectTitles(other, ['Find the bug']);
    await expectTitles(laptop, ['Answer the mail', 'Written on the train']);
  });
});
