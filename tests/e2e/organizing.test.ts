import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import type { Task } from '../../src/client/index.js';
import { startApiProcess, type RunningProcess } from '../support/child-process.js';
import { freePort } from '../support/free-port.js';
import { createPostgresDatabase, type TestDatabase } from '../support/test-database.js';
import { TEST_SECRET } from '../support/test-service.js';
import { expectText, expectTitles, signIn, signUp } from '../support/task-page.js';
import { launchChromium, SCREENSHOTS } from '../support/chromium.js';

const LAPTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };
// A zone with summer time and a locale that writes 24-hour times: both must show through.
const ZONE = 'Europe/Berlin';
const LOCALE = 'en-GB';

interface NewTask {
  readonly title: string;
  readonly description?: string;
  readonly priority?: 'low' | 'medium' | 'high';
  readonly tags?: string;
  /** A datetime-local value: wall time in ZONE. */
  readonly due?: string;
  readonly repeats?: 'daily' | 'weekly' | 'monthly';
}

/** Fills the add form field by field, as a person would, and waits for the task to show. */
async function addTask(page: Page, task: NewTask): Promise<Task> {
  const form = page.locator('#new-task');
  await form.getByLabel('Title').fill(task.title);
  await form.getByLabel('Description').fill(task.description ?? '');
  if (task.priority) await form.getByLabel('Priority').selectOption(task.priority);
  if (task.due) await form.getByLabel('Due', { exact: true }).fill(task.due);
  if (task.repeats) await form.getByLabel('Repeats').selectOption(task.repeats);
  if (task.tags) await form.getByLabel('Tags', { exact: true }).fill(task.tags);
  const created = page.waitForResponse(
    (r) => r.request().method() === 'POST' && /\/tasks$/.test(new URL(r.url()).pathname),
  );
  await form.getByRole('button', { name: 'Add task' }).click();
  const response = await created;
  expect(response.status()).toBe(201);
  await page.locator('.task .title', { hasText: task.title }).first().waitFor();
  return (await response.json()) as Task;
}

/** Waits (up to 10 s) until the chips in `list` read `expected`. */
async function expectChips(list: Locator, expected: string[]): Promise<void> {
  const deadline = Date.now() + 10_000;
  let seen = await list.locator('.chip').allTextContents();
  while (JSON.stringify(seen) !== JSON.stringify(expected) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    seen = await list.locator('.chip').allTextContents();
  }
  expect(seen).toEqual(expected);
}

const item = (page: Page, title: string) =>
  page.locator('#task-list .task:not(.editing)', {
    has: page.locator('.title', { hasText: title }),
  });

/** Runs `action` and waits for the list request it causes; returns that request's query. */
async function listedAfter(page: Page, action: () => Promise<unknown>): Promise<URLSearchParams> {
  const listed = page.waitForResponse(
    (r) => r.request().method() === 'GET' && /\/tasks$/.test(new URL(r.url()).pathname),
  );
  await action();
  const response = await listed;
  expect(response.status()).toBe(200);
  return new URL(response.url()).searchParams;
}

describe('the task page: priorities, tags, due dates, repeats, search and filters', () => {
  let db: TestDatabase;
  let api: RunningProcess;
  let url: string;
  let browser: Browser;
  let laptop: BrowserContext;
  let phone: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    db = await createPostgresDatabase('e2e_organizing');
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
    const place = { locale: LOCALE, timezoneId: ZONE };
    laptop = await browser.newContext({ ...place, viewport: LAPTOP });
    phone = await browser.newContext({ ...place, viewport: PHONE, isMobile: true, hasTouch: true });
    page = await laptop.newPage();
    const problems: string[] = [];
    page.on('console', (message) => {
      // The browser asks for a favicon the page does not have; anything else is a problem.
      const favicon = message.location().url.endsWith('/favicon.ico');
      if (message.type() === 'error' && !favicon) problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    await signUp(page, url, 'Mary Somerville', 'mary@example.com');
    // Nothing the strict CSP refuses, no script error.
    expect(problems).toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    await api?.stop();
    await db?.drop();
  });

  it('adds tasks with a priority, tags, a due date in the browser’s zone and a repeat', async () => {
    const form = page.locator('#new-task');
    const repeats = form.getByLabel('Repeats');
    // Without a due date there is nothing to repeat from: the choice is off, and says why.
    await expect(repeats.isDisabled()).resolves.toBe(true);
    await expect(form.locator('.repeat-hint').isVisible()).resolves.toBe(true);
    await expect(repeats.getAttribute('aria-describedby')).resolves.toMatch(/repeat-hint/);

    await form.getByLabel('Tags', { exact: true }).fill('Home, #garden  home');
    await expectChips(form.locator('.tag-preview'), ['#home', '#garden']);

    const plants = await addTask(page, {
      title: 'Water the plants',
      description: 'The ferns on the balcony',
      priority: 'high',
      tags: 'Home, #garden  home',
      due: '2030-03-05T09:30',
      repeats: 'weekly',
    });
    // Sent with Berlin's winter offset, stored as that instant.
    expect(plants).toMatchObject({
      priority: 'high',
      tags: ['home', 'garden'],
      dueAt: '2030-03-05T08:30:00.000Z',
      recurrence: 'weekly',
      completed: false,
    });
    // The form is ready for the next one: defaults back, repeat off again.
    await expect(form.getByLabel('Priority').inputValue()).resolves.toBe('medium');
    await expect(repeats.isDisabled()).resolves.toBe(true);

    await addTask(page, {
      title: 'Pay the rent',
      priority: 'low',
      tags: 'money',
      due: '2020-01-06T10:00',
    });
    await addTask(page, { title: 'Read a book', tags: 'home reading' });

    const shown = item(page, 'Water the plants');
    await expectText(shown.locator('.meta'), /High priority/);
    await expectText(shown.locator('.due'), /Due Tue,? 5 Mar 2030,? 09:30/);
    await expect(shown.locator('time').getAttribute('datetime')).resolves.toBe(
      '2030-03-05T08:30:00.000Z',
    );
    await expectText(shown.locator('.repeats'), /Repeats every week/);
    await expectChips(shown.locator('.tags'), ['#home', '#garden']);
    await expect(shown.locator('.overdue').isHidden()).resolves.toBe(true);
    await expectText(item(page, 'Read a book').locator('.meta'), /^Medium priority$/);

    // Overdue in words (and an icon), not only in red.
    const rent = item(page, 'Pay the rent');
    await expect(rent.getAttribute('class')).resolves.toMatch(/\boverdue\b/);
    await expectText(rent.locator('.meta'), /Low priority Overdue Due Mon,? 6 Jan 2020,? 10:00/);
    await page.screenshot({ path: join(SCREENSHOTS, 'organizing-1-laptop.png'), fullPage: true });
  });

  it('edits every new field, with the API’s objections next to the field they concern', async () => {
    await item(page, 'Water the plants').getByRole('button', { name: 'Edit' }).click();
    const editor = page.locator('.task.editing');
    await expect(editor.getByLabel('Priority').inputValue()).resolves.toBe('high');
    await expect(editor.getByLabel('Due', { exact: true }).inputValue()).resolves.toBe(
      '2030-03-05T09:30',
    );
    await expect(editor.getByLabel('Repeats').inputValue()).resolves.toBe('weekly');
    await expect(editor.getByLabel('Tags', { exact: true }).inputValue()).resolves.toBe(
      'home, garden',
    );

    await editor.getByLabel('Tags', { exact: true }).fill('home garden no!way');
    await editor.getByRole('button', { name: 'Save' }).click();
    const tagsError = editor.locator('[data-error-for=tags]');
    await expectText(tagsError, /^Tag “no!way” may contain only letters, digits, "-" and "_"\.$/);
    const tags = editor.getByLabel('Tags', { exact: true });
    await expect(tags.getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(tags.getAttribute('aria-describedby')).resolves.toContain(
      await tagsError.getAttribute('id'),
    );
    await page.screenshot({ path: join(SCREENSHOTS, 'organizing-2-laptop-edit-error.png') });

    await tags.fill('home garden weekend');
    await expect(tagsError.isHidden()).resolves.toBe(true);
    await editor.getByLabel('Priority').selectOption('medium');
    await editor.getByLabel('Due', { exact: true }).fill('2030-07-06T18:00');
    await editor.getByLabel('Repeats').selectOption('monthly');
    const saved = page.waitForRequest((r) => r.method() === 'PATCH');
    await editor.getByRole('button', { name: 'Save' }).click();
    // Berlin is on summer time in July: the offset follows the date, not today.
    expect((await saved).postDataJSON()).toEqual({
      priority: 'medium',
      tags: ['home', 'garden', 'weekend'],
      dueAt: '2030-07-06T18:00:00+02:00',
      recurrence: 'monthly',
    });
    const shown = item(page, 'Water the plants');
    await expectText(shown.locator('.meta'), /Medium priority Due Sat,? 6 Jul 2030,? 18:00/);
    await expectText(shown.locator('.repeats'), /Repeats every month/);
    await expectChips(shown.locator('.tags'), ['#home', '#garden', '#weekend']);

    // Clearing the due date turns the repeat off too, and the API agrees.
    await shown.getByRole('button', { name: 'Edit' }).click();
    await editor.getByRole('button', { name: 'Clear the due date' }).click();
    await expect(editor.getByLabel('Repeats').isDisabled()).resolves.toBe(true);
    await editor.getByRole('button', { name: 'Save' }).click();
    await expect(item(page, 'Water the plants').locator('.due').isHidden()).resolves.toBe(true);
    await expect(item(page, 'Water the plants').locator('.repeats').isHidden()).resolves.toBe(true);

    // And back, by keyboard: Enter opens the editor on its title, Escape closes it and gives
    // the focus back to Edit, Enter in the title saves.
    const edit = item(page, 'Water the plants').getByRole('button', { name: 'Edit' });
    await edit.focus();
    await page.keyboard.press('Enter');
    const focusedName = () => page.locator(':focus').getAttribute('aria-label');
    await expect(focusedName()).resolves.toBe('Title');
    await page.keyboard.press('Escape');
    await expect(focusedName()).resolves.toBe('Edit "Water the plants"');
    await page.keyboard.press('Enter');
    await editor.getByLabel('Due', { exact: true }).fill('2030-03-05T09:30');
    await editor.getByLabel('Repeats').selectOption('weekly');
    await editor.getByLabel('Priority').selectOption('high');
    await editor.getByLabel('Title').press('Enter');
    await expectText(item(page, 'Water the plants').locator('.repeats'), /Repeats every week/);
    await expect(focusedName()).resolves.toBe('Edit "Water the plants"');
  });

  it('searches as the person types, and filters by priority, tag and overdue', async () => {
    const search = page.getByRole('searchbox', { name: 'Search tasks' });
    let query = await listedAfter(page, () => search.fill('BALCONY'));
    expect(query.get('q')).toBe('BALCONY');
    await expectTitles(page, ['Water the plants']);
    query = await listedAfter(page, () => search.fill(''));
    expect(query.has('q')).toBe(false);
    await expectTitles(page, ['Read a book', 'Pay the rent', 'Water the plants']);

    const filters = page.getByRole('group', { name: 'Filter by priority' });
    query = await listedAfter(page, () => filters.getByRole('button', { name: 'Low' }).click());
    expect(query.getAll('priority')).toEqual(['low']);
    await expectTitles(page, ['Pay the rent']);
    query = await listedAfter(page, () => filters.getByRole('button', { name: 'High' }).click());
    expect(query.getAll('priority')).toEqual(['low', 'high']);
    await expectTitles(page, ['Pay the rent', 'Water the plants']);
    await expect(
      filters.getByRole('button', { name: 'High' }).getAttribute('aria-pressed'),
    ).resolves.toBe('true');
    await listedAfter(page, () => filters.getByRole('button', { name: 'Low' }).click());
    await listedAfter(page, () => filters.getByRole('button', { name: 'High' }).click());
    await expectTitles(page, ['Read a book', 'Pay the rent', 'Water the plants']);

    // A tag on a task narrows the list to it; a second one narrows further (all of them).
    query = await listedAfter(page, () =>
      item(page, 'Read a book').getByRole('button', { name: '#home' }).click(),
    );
    expect(query.getAll('tag')).toEqual(['home']);
    await expectTitles(page, ['Read a book', 'Water the plants']);
    query = await listedAfter(page, () =>
      item(page, 'Water the plants').getByRole('button', { name: '#garden' }).click(),
    );
    expect(query.getAll('tag')).toEqual(['home', 'garden']);
    await expectTitles(page, ['Water the plants']);
    await page.screenshot({ path: join(SCREENSHOTS, 'organizing-3-laptop-filtered.png') });
    const active = page.getByRole('list', { name: 'Tag filters' });
    await listedAfter(page, () => active.getByRole('button', { name: /#garden/ }).click());
    await listedAfter(page, () => active.getByRole('button', { name: /#home/ }).click());
    await expectTitles(page, ['Read a book', 'Pay the rent', 'Water the plants']);

    query = await listedAfter(page, () =>
      page.getByRole('button', { name: 'Overdue only' }).click(),
    );
    expect(query.get('overdue')).toBe('true');
    await expectTitles(page, ['Pay the rent']);
    await listedAfter(page, () => page.getByRole('button', { name: 'Overdue only' }).click());

    // Nothing matches: the page says so, and offers the way back.
    await listedAfter(page, () => search.fill('no such thing'));
    await expectText(page.locator('#empty'), /No tasks match your search and filters/);
    await listedAfter(page, () => page.getByRole('button', { name: 'Clear all filters' }).click());
    await expectTitles(page, ['Read a book', 'Pay the rent', 'Water the plants']);
    await expect(search.inputValue()).resolves.toBe('');
  });

  it('completes a repeating task and shows that the next one was created', async () => {
    const plants = item(page, 'Water the plants');
    await plants.getByRole('checkbox').check();
    await expectText(
      page.locator('#notice'),
      /The next “Water the plants” was created, due Tue,? 12 Mar 2030/,
    );
    await expectTitles(page, [
      'Water the plants',
      'Read a book',
      'Pay the rent',
      'Water the plants',
    ]);
    const done = page.locator('.task.completed', { hasText: 'Water the plants' });
    await expectText(done.locator('.next-created'), /Next one created/);
    const next = page.locator('.task:not(.completed)', { hasText: 'Water the plants' });
    await expectText(next.locator('.due'), /Due Tue,? 12 Mar 2030,? 09:30/);
    await expectChips(next.locator('.tags'), ['#home', '#garden', '#weekend']);
    await page.screenshot({ path: join(SCREENSHOTS, 'organizing-4-laptop-next-one.png') });

    const sorted = await listedAfter(page, () => page.getByLabel('Sort').selectOption('dueAt:asc'));
    expect([sorted.get('sort'), sorted.get('order')]).toEqual(['dueAt', 'asc']);
    // Due soonest first, tasks without a due date last.
    await expectTitles(page, [
      'Pay the rent',
      'Water the plants',
      'Water the plants',
      'Read a book',
    ]);
  });

  it('fits a phone: fields stacked, filters wrapped, nothing wider than the screen', async () => {
    const small = await phone.newPage();
    await signIn(small, url, 'mary@example.com');
    await small.locator('#task-list .task').first().waitFor();
    // A string, run in the page: this file is type-checked without the DOM library.
    const overflow = await small.evaluate<number>(
      'document.documentElement.scrollWidth - document.documentElement.clientWidth',
    );
    expect(overflow).toBe(0);
    await small.screenshot({ path: join(SCREENSHOTS, 'organizing-5-phone.png'), fullPage: true });

    await small.locator('#new-task').getByLabel('Title').fill('Book the dentist');
    await small.locator('#new-task').getByLabel('Tags', { exact: true }).fill('health, calls');
    await small.screenshot({ path: join(SCREENSHOTS, 'organizing-6-phone-add.png') });
    await small.getByRole('button', { name: 'Add task' }).tap();
    await item(small, 'Book the dentist').waitFor();
    await small.close();
  });
});
