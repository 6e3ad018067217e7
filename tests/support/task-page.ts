import { expect } from '@jest/globals';
import type { Locator, Page } from 'playwright-core';

export const PASSWORD = 'correct-horse-battery-staple';

export async function signUp(page: Page, url: string, name: string, email: string): Promise<void> {
  await page.goto(url);
  await page.getByRole('tab', { name: 'Create account' }).click();
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account', exact: true }).last().click();
  await page.locator('#tasks-view').waitFor({ state: 'visible' });
}

export async function signIn(page: Page, url: string, email: string): Promise<void> {
  await page.goto(url);
  await page.locator('#auth-view').waitFor({ state: 'visible' });
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).last().click();
  await page.locator('#tasks-view').waitFor({ state: 'visible' });
}

export const titles = (page: Page) => page.locator('#task-list .task .title').allTextContents();

/** Waits (up to 10 s) until the list shows exactly `expected`: the page loads asynchronously. */
export async function expectTitles(page: Page, expected: string[]): Promise<void> {
  const deadline = Date.now() + 10_000;
  let seen = await titles(page);
  while (JSON.stringify(seen) !== JSON.stringify(expected) && Date.now() < deadline) {
    await page.waitForTimeout(50);
    seen = await titles(page);
  }
  expect(seen).toEqual(expected);
}

/**
 * Waits (up to 10 s) until the text `locator` shows (innerText: hidden parts left out), spaces
 * collapsed, matches `pattern`.
 */
export async function expectText(locator: Locator, pattern: RegExp): Promise<void> {
  const deadline = Date.now() + 10_000;
  const read = async () => (await locator.innerText()).replace(/\s+/g, ' ').trim();
  let seen = await read();
  while (!pattern.test(seen) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    seen = await read();
  }
  expect(seen).toMatch(pattern);
}
