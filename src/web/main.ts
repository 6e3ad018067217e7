import { createTaskApiAuthClient } from '../client/auth-client.js';
import {
  ApiError,
  NetworkError,
  NotFoundError,
  TaskChangedError,
  UnauthorizedError,
  ValidationError,
} from '../client/api-errors.js';
import { createTasksClient, type Task } from '../client/tasks-client.js';

type Status = 'all' | 'pending' | 'completed';

const PAGE_SIZE = 20;
const auth = createTaskApiAuthClient(location.origin);
const tasks = createTasksClient({ baseUrl: location.origin });

const $ = <T extends HTMLElement>(selector: string, root: ParentNode = document): T => {
  const element = root.querySelector<T>(selector);
  if (!element) throw new Error(`missing ${selector}`);
  return element;
};

const view = {
  loading: $('#loading'),
  auth: $('#auth-view'),
  tasks: $('#tasks-view'),
  account: $('#account'),
  who: $('#who'),
  authForm: $<HTMLFormElement>('#auth-form'),
  authError: $('#auth-error'),
  authSubmit: $<HTMLButtonElement>('#auth-submit'),
  nameField: $('#name-field'),
  newTask: $<HTMLFormElement>('#new-task'),
  tasksError: $('#tasks-error'),
  list: $<HTMLUListElement>('#task-list'),
  empty: $('#empty'),
  more: $<HTMLButtonElement>('#more'),
  taskTemplate: $<HTMLTemplateElement>('#task-template'),
  editTemplate: $<HTMLTemplateElement>('#edit-template'),
};

let mode: 'sign-in' | 'sign-up' = 'sign-in';
let status: Status = 'all';
let nextCursor: string | null = null;

/** Turns any failure into a sentence for a person. */
function describe(error: unknown): string {
  if (error instanceof ValidationError) {
    return Object.entries(error.fields)
      .map(([field, problem]) => `${capitalize(field.replace(/^query\./, ''))} ${problem}.`)
      .join(' ');
  }
  if (error instanceof ApiError || error instanceof NetworkError) return error.message;
  return 'Something went wrong. Please try again.';
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function show(element: HTMLElement, message: string | null): void {
  element.textContent = message ?? '';
  element.hidden = !message;
}

async function busy<T>(button: HTMLButtonElement | null, work: () => Promise<T>): Promise<T> {
  if (button) button.disabled = true;
  try {
    return await work();
  } finally {
    if (button) button.disabled = false;
  }
}

// ---- Signing in and out -------------------------------------------------------------------

function showSignedOut(message: string | null = null): void {
  tasks.signOut();
  view.loading.hidden = true;
  view.tasks.hidden = true;
  view.account.hidden = true;
  view.auth.hidden = false;
  show(view.authError, message);
}

async function showSignedIn(email: string): Promise<void> {
  view.loading.hidden = true;
  view.auth.hidden = true;
  view.account.hidden = false;
  view.who.textContent = email;
  view.tasks.hidden = false;
  await reload();
}

function setMode(next: typeof mode): void {
  mode = next;
  for (const tab of document.querySelectorAll<HTMLButtonElement>('.tabs button')) {
    tab.setAttribute('aria-selected', String(tab.dataset.mode === mode));
  }
  view.nameField.hidden = mode === 'sign-in';
  view.authSubmit.textContent = mode === 'sign-in' ? 'Sign in' : 'Create account';
  $<HTMLInputElement>('input[name=password]', view.authForm).autocomplete =
    mode === 'sign-in' ? 'current-password' : 'new-password';
  show(view.authError, null);
}

function authProblem(error: { status?: number; message?: string } | null): string {
  if (!error) return 'Something went wrong. Please try again.';
  if (error.status === 429) return 'Too many attempts. Wait a few seconds and try again.';
  return error.message ? `${error.message}.`.replace(/\.\.$/, '.') : 'That did not work.';
}

async function submitAuth(event: SubmitEvent): Promise<void> {
  event.preventDefault();
  const form = new FormData(view.authForm);
  const email = String(form.get('email') ?? '').trim();
  const password = String(form.get('password') ?? '');
  const name = String(form.get('name') ?? '').trim() || email.split('@')[0] || 'Friend';
  if (!email || !password) return show(view.authError, 'Enter your email and password.');
  if (mode === 'sign-up' && password.length < 8) {
    return show(view.authError, 'Choose a password of at least 8 characters.');
  }
  const result = await busy(view.authSubmit, () =>
    mode === 'sign-in'
      ? auth.signIn.email({ email, password })
      : auth.signUp.email({ email, password, name }),
  );
  if (result.error) return show(view.authError, authProblem(result.error));
  view.authForm.reset();
  await showSignedIn(email);
}

async function signOut(): Promise<void> {
  await auth.signOut();
  showSignedOut();
}

// ---- Tasks ----------------------------------------------------------------------------------

function handle(error: unknown): void {
  if (error instanceof UnauthorizedError) {
    showSignedOut('Your session has ended. Please sign in again.');
    return;
  }
  show(view.tasksError, describe(error));
}

/** Loads the first page afresh; the old list stays until the new one is there. */
async function reload(): Promise<void> {
  nextCursor = null;
  await loadPage(true);
}

async function loadPage(replace = false): Promise<void> {
  view.list.setAttribute('aria-busy', 'true');
  try {
    const page = await tasks.list({ status, limit: PAGE_SIZE, cursor: nextCursor ?? undefined });
    const items = page.items.map(renderTask);
    if (replace) view.list.replaceChildren(...items);
    else view.list.append(...items);
    nextCursor = page.nextCursor;
    view.more.hidden = nextCursor === null;
    updateEmpty();
    show(view.tasksError, null);
  } catch (error) {
    handle(error);
  } finally {
    view.list.setAttribute('aria-busy', 'false');
  }
}

function updateEmpty(): void {
  const none = view.list.children.length === 0;
  const messages: Record<Status, string> = {
    all: 'No tasks yet. Add your first one above.',
    pending: 'Nothing pending. Nice work!',
    completed: 'No completed tasks yet.',
  };
  show(view.empty, none ? messages[status] : null);
}

function renderTask(task: Task): HTMLLIElement {
  const item = view.taskTemplate.content.firstElementChild?.cloneNode(true) as HTMLLIElement;
  item.dataset.id = task.id;
  item.classList.toggle('completed', task.completed);
  $('.title', item).textContent = task.title;
  const description = $('.description', item);
  description.textContent = task.description ?? '';
  description.hidden = !task.description;
  const toggle = $<HTMLInputElement>('.toggle', item);
  toggle.checked = task.completed;
  toggle.setAttribute(
    'aria-label',
    `Mark "${task.title}" as ${task.completed ? 'not done' : 'done'}`,
  );
  toggle.addEventListener('change', () => void toggleTask(task, item, toggle));
  $('.edit', item).addEventListener('click', () => item.replaceWith(renderEditor(task)));
  const remove = $<HTMLButtonElement>('.delete', item);
  remove.addEventListener('click', () => void deleteTask(task, item, remove));
  return item;
}

function renderEditor(task: Task): HTMLLIElement {
  const item = view.editTemplate.content.firstElementChild?.cloneNode(true) as HTMLLIElement;
  item.dataset.id = task.id;
  const form = $<HTMLFormElement>('form', item);
  $<HTMLInputElement>('input[name=title]', form).value = task.title;
  $<HTMLTextAreaElement>('textarea[name=description]', form).value = task.description ?? '';
  $('.cancel', form).addEventListener('click', () => item.replaceWith(renderTask(task)));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void saveTask(task, item, form);
  });
  return item;
}

function keepsShowing(task: Task): boolean {
  return status === 'all' || task.completed === (status === 'completed');
}

async function addTask(event: SubmitEvent): Promise<void> {
  event.preventDefault();
  const form = new FormData(view.newTask);
  const title = String(form.get('title') ?? '');
  const description = String(form.get('description') ?? '').trim();
  if (!title.trim()) return show(view.tasksError, 'Give the task a title.');
  try {
    const task = await busy(view.newTask.querySelector('button'), () =>
      tasks.create({ title, description: description || null }),
    );
    view.newTask.reset();
    show(view.tasksError, null);
    if (keepsShowing(task)) view.list.prepend(renderTask(task));
    updateEmpty();
  } catch (error) {
    handle(error);
  }
}

async function toggleTask(
  task: Task,
  item: HTMLLIElement,
  toggle: HTMLInputElement,
): Promise<void> {
  try {
    const updated = await busy(null, () => tasks.toggleComplete(task));
    if (keepsShowing(updated)) item.replaceWith(renderTask(updated));
    else item.remove();
    updateEmpty();
  } catch (error) {
    toggle.checked = task.completed;
    if (error instanceof TaskChangedError) return changedElsewhere(task, item);
    handle(error);
  }
}

async function saveTask(task: Task, item: HTMLLIElement, form: HTMLFormElement): Promise<void> {
  const data = new FormData(form);
  const description = String(data.get('description') ?? '').trim();
  try {
    const updated = await busy(form.querySelector('button[type=submit]'), () =>
      tasks.update(task, {
        title: String(data.get('title') ?? ''),
        description: description || null,
      }),
    );
    item.replaceWith(renderTask(updated));
  } catch (error) {
    if (error instanceof ValidationError) return show($('.error', form), describe(error));
    if (error instanceof TaskChangedError) return changedElsewhere(task, item);
    handle(error);
  }
}

/**
 * An edit was refused because the task changed in another tab or device: show it as it is now,
 * and say so, instead of overwriting that change.
 */
async function changedElsewhere(task: Task, item: HTMLLIElement): Promise<void> {
  try {
    const current = await tasks.get(task.id);
    item.replaceWith(renderTask(current));
    show(
      view.tasksError,
      `"${current.title}" was changed somewhere else, so your edit was not saved. It now shows the latest version: make your change again if you still want it.`,
    );
  } catch (error) {
    if (error instanceof NotFoundError) {
      item.remove();
      updateEmpty();
      return show(view.tasksError, 'That task was deleted somewhere else.');
    }
    handle(error);
  }
}

async function deleteTask(
  task: Task,
  item: HTMLLIElement,
  button: HTMLButtonElement,
): Promise<void> {
  try {
    await busy(button, () => tasks.remove(task));
    item.remove();
    updateEmpty();
  } catch (error) {
    if (error instanceof TaskChangedError) return changedElsewhere(task, item);
    handle(error);
  }
}

function setStatus(next: Status): void {
  status = next;
  for (const tab of document.querySelectorAll<HTMLButtonElement>('.filters button')) {
    tab.setAttribute('aria-selected', String(tab.dataset.status === status));
  }
  void reload();
}

// ---- Start ----------------------------------------------------------------------------------

for (const tab of document.querySelectorAll<HTMLButtonElement>('.tabs button')) {
  tab.addEventListener('click', () =>
    setMode(tab.dataset.mode === 'sign-up' ? 'sign-up' : 'sign-in'),
  );
}
for (const tab of document.querySelectorAll<HTMLButtonElement>('.filters button')) {
  tab.addEventListener('click', () => setStatus(tab.dataset.status as Status));
}
view.authForm.addEventListener('submit', (event) => void submitAuth(event));
view.newTask.addEventListener('submit', (event) => void addTask(event));
view.more.addEventListener('click', () => void busy(view.more, () => loadPage()));
$('#sign-out').addEventListener('click', () => void signOut());

const session = await auth.getSession({
  fetchOptions: {
    // Better Auth hands a fresh JWT along with the session: no second round trip needed.
    onSuccess: (ctx) => tasks.useToken(ctx.response.headers.get('set-auth-jwt')),
  },
});
if (session.data) await showSignedIn(session.data.user.email);
else showSignedOut();
