import { createTaskApiAuthClient } from '../client/auth-client.js';
import {
  ApiError,
  NetworkError,
  NotFoundError,
  TaskChangedError,
  UnauthorizedError,
  ValidationError,
} from '../client/api-errors.js';
import {
  createTasksClient,
  type ListTasksQuery,
  type Priority,
  type Task,
  type TaskChange,
} from '../client/tasks-client.js';
import { $, busy, show } from './dom.js';
import { formatDue, formatDueInFull, isOverdue } from './task-format.js';
import {
  changesOf,
  clearErrors,
  fieldError,
  fieldLabel,
  fillTaskForm,
  isPriority,
  PRIORITY_LABELS,
  readTaskForm,
  REPEAT_LABELS,
  sentence,
  showValidation,
  syncTaskForm,
  taskForm,
  type TaskForm,
} from './task-form.js';

type Status = 'all' | 'pending' | 'completed';
type Sort = `${NonNullable<ListTasksQuery['sort']>}:${NonNullable<ListTasksQuery['order']>}`;

const PAGE_SIZE = 20;
const SEARCH_DELAY_MS = 300;
const auth = createTaskApiAuthClient(location.origin);
const tasks = createTasksClient({ baseUrl: location.origin });

/** The orders the sort menu offers (its options' values), as the API's `sort` and `order`. */
const SORTS = [
  'createdAt:desc',
  'createdAt:asc',
  'dueAt:asc',
  'priority:desc',
  'title:asc',
] as const satisfies readonly Sort[];
type SortChoice = (typeof SORTS)[number];

const isSort = (value: string): value is SortChoice => (SORTS as readonly string[]).includes(value);

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
  notice: $('#notice'),
  search: $<HTMLFormElement>('#search'),
  searchInput: $<HTMLInputElement>('#search-input'),
  searchError: $('#search-error'),
  overdueFilter: $<HTMLButtonElement>('#overdue-filter'),
  sort: $<HTMLSelectElement>('#sort'),
  tagFilters: $('#tag-filters'),
  tagFilterList: $<HTMLUListElement>('#tag-filter-list'),
  clearFilters: $<HTMLButtonElement>('#clear-filters'),
  list: $<HTMLUListElement>('#task-list'),
  empty: $('#empty'),
  more: $<HTMLButtonElement>('#more'),
  taskTemplate: $<HTMLTemplateElement>('#task-template'),
  editTemplate: $<HTMLTemplateElement>('#edit-template'),
};

let mode: 'sign-in' | 'sign-up' = 'sign-in';
let nextCursor: string | null = null;
/** Counts list requests: an answer to an older one (a search typed further meanwhile) is dropped. */
let generation = 0;
let searchTimer: ReturnType<typeof setTimeout> | undefined;

/** What the list shows. Status and sort are always set; the rest narrow it when given. */
interface Filters {
  status: Status;
  sort: SortChoice;
  /** Search text, trimmed; '' for none. */
  q: string;
  /** Any of these. */
  priorities: Priority[];
  /** All of these. */
  tags: string[];
  overdue: boolean;
}
const NO_FILTERS = { status: 'all', q: '', priorities: [], tags: [], overdue: false } as const;
const filters: Filters = { ...NO_FILTERS, priorities: [], tags: [], sort: 'createdAt:desc' };

const narrowed = () =>
  filters.q !== '' || filters.priorities.length > 0 || filters.tags.length > 0 || filters.overdue;

function listQuery(cursor: string | null): ListTasksQuery {
  const [sort, order] = filters.sort.split(':') as [
    NonNullable<ListTasksQuery['sort']>,
    NonNullable<ListTasksQuery['order']>,
  ];
  return {
    status: filters.status,
    sort,
    order,
    limit: PAGE_SIZE,
    cursor: cursor ?? undefined,
    q: filters.q || undefined,
    priority: filters.priorities,
    tag: filters.tags,
    overdue: filters.overdue || undefined,
  };
}

/** Turns any failure into a sentence for a person. */
function describe(error: unknown): string {
  if (error instanceof ValidationError) {
    return Object.entries(error.fields)
      .map(([field, problem]) => sentence(fieldLabel(field.replace(/^query\./, '')), problem))
      .join(' ');
  }
  if (error instanceof ApiError || error instanceof NetworkError) return error.message;
  return 'Something went wrong. Please try again.';
}

let noticeTimer: ReturnType<typeof setTimeout> | undefined;
/** A polite message that goes away by itself: what just happened, when it is not obvious. */
function announce(message: string | null): void {
  clearTimeout(noticeTimer);
  show(view.notice, message);
  if (message) noticeTimer = setTimeout(() => show(view.notice, null), 10_000);
}

// ---- Signing in and out -------------------------------------------------------------------

function showSignedOut(message: string | null = null): void {
  stopFollowing();
  tasks.signOut();
  // The next person to sign in starts from the whole list.
  Object.assign(filters, { ...NO_FILTERS, priorities: [], tags: [] });
  syncFilterControls();
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
  followChanges();
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
  if (error instanceof ValidationError && error.fields['query.q']) {
    show(view.searchError, sentence('Search', error.fields['query.q']));
    view.searchInput.setAttribute('aria-invalid', 'true');
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
  const mine = replace ? ++generation : generation;
  view.list.setAttribute('aria-busy', 'true');
  try {
    const page = await tasks.list(listQuery(replace ? null : nextCursor));
    if (mine !== generation) return; // the person asked for another list meanwhile
    const now = Date.now();
    // An open editor stays as it is, with what the person typed in it.
    const editors = new Map(
      [...view.list.querySelectorAll<HTMLElement>('.task.editing')].map((e) => [e.dataset.id, e]),
    );
    const items = page.items.map((task) =>
      replace && editors.has(task.id)
        ? (editors.get(task.id) as HTMLElement)
        : renderTask(task, now),
    );
    if (replace) keepingFocus(() => view.list.replaceChildren(...items));
    else view.list.append(...items);
    nextCursor = page.nextCursor;
    view.more.hidden = nextCursor === null;
    updateEmpty();
    show(view.tasksError, null);
    show(view.searchError, null);
    view.searchInput.removeAttribute('aria-invalid');
  } catch (error) {
    if (mine === generation) handle(error);
  } finally {
    if (mine === generation) view.list.setAttribute('aria-busy', 'false');
  }
}

/**
 * Runs a change of the list and puts the keyboard focus back on the same control of the same
 * task, if it is still shown: a reload must not throw a keyboard user back to the page's top.
 */
function keepingFocus(change: () => void): void {
  const focused = document.activeElement;
  const item = focused?.closest<HTMLElement>('.task[data-id]');
  const control = ['.toggle', '.edit', '.delete'].find((s) => focused?.matches(s));
  const tag = focused instanceof HTMLElement ? focused.dataset.tag : undefined;
  change();
  if (!item?.dataset.id || item.isConnected) return;
  const within = tag === undefined ? control : `.tag-chip[data-tag="${CSS.escape(tag)}"]`;
  if (!within) return;
  view.list
    .querySelector<HTMLElement>(`.task[data-id="${CSS.escape(item.dataset.id)}"] ${within}`)
    ?.focus();
}

function updateEmpty(): void {
  const none = view.list.children.length === 0;
  const messages: Record<Status, string> = {
    all: 'No tasks yet. Add your first one above.',
    pending: 'Nothing pending. Nice work!',
    completed: 'No completed tasks yet.',
  };
  const message = narrowed() ? 'No tasks match your search and filters.' : messages[filters.status];
  show(view.empty, none ? message : null);
}

function renderTask(task: Task, now = Date.now()): HTMLLIElement {
  const item = view.taskTemplate.content.firstElementChild?.cloneNode(true) as HTMLLIElement;
  item.dataset.id = task.id;
  item.dataset.created = task.createdAt;
  item.classList.toggle('completed', task.completed);
  $('.title', item).textContent = task.title;
  const description = $('.description', item);
  description.textContent = task.description ?? '';
  description.hidden = !task.description;

  const priority = $('.priority', item);
  priority.classList.add(`priority-${task.priority}`);
  $('.priority-text', priority).textContent = `${PRIORITY_LABELS[task.priority]} priority`;

  const due = $('.due', item);
  due.hidden = task.dueAt === null;
  if (task.dueAt) {
    item.dataset.due = task.dueAt;
    const time = $<HTMLTimeElement>('time', due);
    time.dateTime = task.dueAt;
    time.textContent = formatDue(task.dueAt, now);
    time.title = formatDueInFull(task.dueAt);
  }
  markOverdue(item, isOverdue(task, now));

  const repeats = $('.repeats', item);
  repeats.hidden = task.recurrence === null;
  if (task.recurrence) $('.repeats-text', repeats).textContent = REPEAT_LABELS[task.recurrence];
  $('.next-created', item).hidden = !(task.completed && task.nextOccurrenceId);

  const tags = $<HTMLUListElement>('.tags', item);
  tags.setAttribute('aria-label', `Tags of “${task.title}”`);
  tags.hidden = task.tags.length === 0;
  tags.replaceChildren(...task.tags.map(tagChip));

  const toggle = $<HTMLInputElement>('.toggle', item);
  toggle.checked = task.completed;
  toggle.setAttribute(
    'aria-label',
    `Mark "${task.title}" as ${task.completed ? 'not done' : 'done'}`,
  );
  toggle.addEventListener('change', () => void toggleTask(task, item, toggle));
  const edit = $<HTMLButtonElement>('.edit', item);
  edit.setAttribute('aria-label', `Edit "${task.title}"`);
  edit.addEventListener('click', () => openEditor(task, item));
  const remove = $<HTMLButtonElement>('.delete', item);
  remove.setAttribute('aria-label', `Delete "${task.title}"`);
  remove.addEventListener('click', () => void deleteTask(task, item, remove));
  return item;
}

function markOverdue(item: HTMLElement, overdue: boolean): void {
  item.classList.toggle('overdue', overdue);
  $('.overdue', item).hidden = !overdue;
}

/** A task's tag: a button that narrows the list to the tasks carrying it. */
function tagChip(tag: string): HTMLLIElement {
  const entry = document.createElement('li');
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'chip tag-chip';
  button.dataset.tag = tag;
  button.textContent = `#${tag}`;
  button.title = `Show only tasks tagged ${tag}`;
  button.setAttribute('aria-pressed', String(filters.tags.includes(tag)));
  button.addEventListener('click', () => toggleTagFilter(tag));
  entry.append(button);
  return entry;
}

function openEditor(task: Task, item: HTMLLIElement): void {
  const editor = view.editTemplate.content.firstElementChild?.cloneNode(true) as HTMLLIElement;
  editor.dataset.id = task.id;
  editor.dataset.created = task.createdAt;
  const parts = taskForm($<HTMLFormElement>('form', editor));
  parts.form.setAttribute('aria-label', `Edit "${task.title}"`);
  fillTaskForm(parts, task);
  // The task as it is now: a change made elsewhere meanwhile (null: deleted) shows on Cancel.
  let latest: Task | null = task;
  editor.addEventListener(CHANGED_ELSEWHERE, (event) => {
    latest = (event as CustomEvent<Task | null>).detail;
  });
  const close = () => {
    if (latest !== task) show(view.tasksError, null); // the notice said what Cancel shows
    if (!latest) {
      editor.remove();
      return updateEmpty();
    }
    const shown = renderTask(latest);
    editor.replaceWith(shown);
    $('.edit', shown).focus();
  };
  $('.cancel', parts.form).addEventListener('click', close);
  parts.form.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') close();
  });
  parts.form.addEventListener('submit', (event) => {
    event.preventDefault();
    void saveTask(task, editor, parts, close);
  });
  item.replaceWith(editor);
  parts.title.focus();
}

/** Whether a task stays in the list as it is filtered now (for the checks the page can make). */
function keepsShowing(task: Task): boolean {
  if (filters.status !== 'all' && task.completed !== (filters.status === 'completed')) return false;
  return !(filters.overdue && !isOverdue(task, Date.now()));
}

async function addTask(parts: TaskForm): Promise<void> {
  clearErrors(parts);
  show(view.tasksError, null);
  const values = readTaskForm(parts);
  if (!values) return;
  if (!values.title.trim()) {
    fieldError(parts, 'title', 'Give the task a title.');
    return parts.title.focus();
  }
  try {
    const task = await busy(parts.form.querySelector('button[type=submit]'), () =>
      tasks.create(values),
    );
    parts.form.reset();
    syncTaskForm(parts);
    parts.title.focus();
    if (!narrowed() && filters.sort === 'createdAt:desc') {
      // The newest task goes first: no need to ask the server where it belongs. (Its change may
      // have come over the live stream already.)
      if (keepsShowing(task) && !shownItem(task.id)) view.list.prepend(renderTask(task));
      updateEmpty();
      return announce(null);
    }
    await reload();
    const hidden = !view.list.querySelector(`.task[data-id="${task.id}"]`);
    announce(
      hidden ? `Added “${task.title}”. The current search or filters do not show it.` : null,
    );
  } catch (error) {
    if (error instanceof ValidationError) return showValidation(parts, error, values);
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
    keepingFocus(() => {
      if (keepsShowing(updated)) item.replaceWith(renderTask(updated));
      else item.remove();
    });
    updateEmpty();
    if (updated.completed && updated.nextOccurrenceId && !task.nextOccurrenceId) {
      await nextOccurrenceCreated(updated, updated.nextOccurrenceId);
    }
  } catch (error) {
    toggle.checked = task.completed;
    if (error instanceof TaskChangedError) return changedElsewhere(task, item);
    handle(error);
  }
}

/** A recurring task was completed: the server made the next one; say when it is due, show it. */
async function nextOccurrenceCreated(done: Task, nextId: string): Promise<void> {
  const next = await tasks.get(nextId).catch(() => null);
  await reload();
  const due = next?.dueAt ? `, due ${formatDue(next.dueAt)}` : '';
  announce(`Done. The next “${done.title}” was created${due}.`);
}

async function saveTask(
  task: Task,
  editor: HTMLLIElement,
  parts: TaskForm,
  close: () => void,
): Promise<void> {
  clearErrors(parts);
  const values = readTaskForm(parts);
  if (!values) return;
  const changes = changesOf(task, values, parts);
  if (Object.keys(changes).length === 0) return close();
  // Meanwhile the stream may bring this very change back: it is not news from elsewhere.
  editor.dataset.saving = 'true';
  try {
    const updated = await busy(parts.form.querySelector('button[type=submit]'), () =>
      tasks.update(task, changes),
    );
    const shown = renderTask(updated);
    editor.replaceWith(shown);
    $('.edit', shown).focus();
  } catch (error) {
    if (error instanceof ValidationError) return showValidation(parts, error, values);
    if (error instanceof TaskChangedError) return changedElsewhere(task, editor);
    handle(error);
  } finally {
    delete editor.dataset.saving;
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
    // Focus moves to a neighbour, not to the top of the page.
    const neighbour = (item.nextElementSibling ??
      item.previousElementSibling) as HTMLElement | null;
    item.remove();
    updateEmpty();
    (
      neighbour?.querySelector<HTMLElement>('.toggle') ?? view.newTask.querySelector('input')
    )?.focus();
  } catch (error) {
    if (error instanceof TaskChangedError) return changedElsewhere(task, item);
    handle(error);
  }
}

// ---- Changes made elsewhere ----------------------------------------------------------------

/** Told to an open editor when its task changes elsewhere: the task now, or null if deleted. */
const CHANGED_ELSEWHERE = 'task-changed-elsewhere';
let following: AbortController | null = null;
let reloadQueued = false;

const shownItem = (id: string) =>
  view.list.querySelector<HTMLElement>(`.task[data-id="${CSS.escape(id)}"]`);

/**
 * Shows the changes made in other tabs and devices as they come, over the API's event stream.
 * The typed client's watch resumes it after the last change seen, so a dropped connection loses
 * nothing; when it cannot (too long away), the list is loaded afresh.
 */
function followChanges(): void {
  stopFollowing();
  const controller = new AbortController();
  following = controller;
  tasks
    .watch(applyChange, { signal: controller.signal, onResync: reload })
    .catch((error: unknown) => {
      if (!controller.signal.aborted) handle(error);
    });
}

function stopFollowing(): void {
  following?.abort();
  following = null;
}

/** One change made elsewhere (or our own, coming back): the list shows the task as it is now. */
function applyChange(change: TaskChange): void {
  const id = 'task' in change ? change.task.id : change.deleted;
  const task = 'task' in change ? change.task : null;
  const shown = shownItem(id);
  if (shown?.classList.contains('editing')) {
    if (shown.dataset.saving) return; // the save's answer shows the task, or says it changed
    // What the person is typing stays; they are told, as when a save is refused.
    shown.dispatchEvent(new CustomEvent(CHANGED_ELSEWHERE, { detail: task }));
    return show(
      view.tasksError,
      task
        ? `The task you are editing was changed somewhere else: it is now "${task.title}". Cancel shows that version; saving will not overwrite it.`
        : 'The task you are editing was deleted somewhere else.',
    );
  }
  if (shown && task && keepsShowing(task)) {
    keepingFocus(() => shown.replaceWith(renderTask(task)));
  } else if (shown) {
    shown.remove();
  } else if (task) {
    showNew(task);
  }
  updateEmpty();
}

/** A task the list does not show yet: placed by its creation time, or the list asks the API. */
function showNew(task: Task): void {
  if (narrowed() || filters.sort !== 'createdAt:desc') return reloadSoon();
  if (!keepsShowing(task)) return;
  const items = [...view.list.querySelectorAll<HTMLElement>('.task[data-id]')];
  const after = items.find((item) => (item.dataset.created ?? '') < task.createdAt);
  if (after) after.before(renderTask(task));
  else if (nextCursor === null) view.list.append(renderTask(task)); // else it comes with "more"
}

/** Several changes at once (a catch-up) cost one list request. */
function reloadSoon(): void {
  if (reloadQueued) return;
  reloadQueued = true;
  setTimeout(() => {
    reloadQueued = false;
    void reload();
  });
}

/** Overdue is a matter of time: marks are brought up to date while the page stays open. */
function refreshOverdue(): void {
  const now = Date.now();
  for (const item of view.list.querySelectorAll<HTMLElement>('.task[data-due]:not(.editing)')) {
    const due = Date.parse(item.dataset.due ?? '');
    markOverdue(item, !item.classList.contains('completed') && due < now);
  }
}

// ---- Search and filters ---------------------------------------------------------------------

function syncFilterControls(): void {
  for (const tab of document.querySelectorAll<HTMLButtonElement>('.filters button')) {
    tab.setAttribute('aria-selected', String(tab.dataset.status === filters.status));
  }
  for (const button of document.querySelectorAll<HTMLButtonElement>('[data-priority]')) {
    const priority = button.dataset.priority ?? '';
    button.setAttribute(
      'aria-pressed',
      String(isPriority(priority) && filters.priorities.includes(priority)),
    );
  }
  view.overdueFilter.setAttribute('aria-pressed', String(filters.overdue));
  view.sort.value = filters.sort;
  if (view.searchInput.value.trim() !== filters.q) view.searchInput.value = filters.q;

  view.tagFilterList.replaceChildren(
    ...filters.tags.map((tag) => {
      const entry = document.createElement('li');
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'chip removable';
      button.dataset.tag = tag;
      const name = document.createElement('span');
      name.textContent = `#${tag}`;
      const spoken = document.createElement('span');
      spoken.className = 'visually-hidden';
      spoken.textContent = ', remove this filter';
      const cross = document.createElement('span');
      cross.setAttribute('aria-hidden', 'true');
      cross.className = 'cross';
      cross.textContent = '×';
      button.append(name, spoken, cross);
      button.addEventListener('click', () => toggleTagFilter(tag));
      entry.append(button);
      return entry;
    }),
  );
  view.tagFilters.hidden = filters.tags.length === 0;
  view.clearFilters.hidden = !narrowed() && filters.status === 'all';
  for (const chip of view.list.querySelectorAll<HTMLButtonElement>('.tag-chip')) {
    chip.setAttribute('aria-pressed', String(filters.tags.includes(chip.dataset.tag ?? '')));
  }
}

/** Shows the list as filtered now; search text typed but not yet searched for counts too. */
function applyFilters(): void {
  clearTimeout(searchTimer);
  filters.q = view.searchInput.value.trim();
  syncFilterControls();
  announce(null);
  void reload();
}

function toggleTagFilter(tag: string): void {
  const removing = filters.tags.includes(tag);
  filters.tags = removing ? filters.tags.filter((t) => t !== tag) : [...filters.tags, tag];
  applyFilters();
  if (removing) {
    // The removed chip is gone: keep the keyboard nearby.
    (view.tagFilterList.querySelector<HTMLElement>('button') ?? view.searchInput).focus();
  }
}

function searchSoon(delay = SEARCH_DELAY_MS): void {
  clearTimeout(searchTimer);
  searchTimer = setTimeout(() => {
    if (view.searchInput.value.trim() !== filters.q) applyFilters();
  }, delay);
}

// ---- Start ----------------------------------------------------------------------------------

for (const tab of document.querySelectorAll<HTMLButtonElement>('.tabs button')) {
  tab.addEventListener('click', () =>
    setMode(tab.dataset.mode === 'sign-up' ? 'sign-up' : 'sign-in'),
  );
}
for (const tab of document.querySelectorAll<HTMLButtonElement>('.filters button')) {
  tab.addEventListener('click', () => {
    filters.status = (tab.dataset.status as Status | undefined) ?? 'all';
    applyFilters();
  });
}
for (const button of document.querySelectorAll<HTMLButtonElement>('[data-priority]')) {
  button.addEventListener('click', () => {
    const priority = button.dataset.priority ?? '';
    if (!isPriority(priority)) return;
    const on = filters.priorities.includes(priority);
    filters.priorities = on
      ? filters.priorities.filter((p) => p !== priority)
      : [...filters.priorities, priority];
    applyFilters();
  });
}
view.overdueFilter.addEventListener('click', () => {
  filters.overdue = !filters.overdue;
  applyFilters();
});
view.sort.addEventListener('change', () => {
  if (isSort(view.sort.value)) filters.sort = view.sort.value;
  applyFilters();
});
view.clearFilters.addEventListener('click', () => {
  Object.assign(filters, { ...NO_FILTERS, priorities: [], tags: [] });
  view.searchInput.value = '';
  applyFilters();
  view.searchInput.focus();
});
view.searchInput.addEventListener('input', () => searchSoon());
view.search.addEventListener('submit', (event) => {
  event.preventDefault();
  searchSoon(0);
});

const newTask = taskForm(view.newTask);
view.newTask.addEventListener('submit', (event) => {
  event.preventDefault();
  void addTask(newTask);
});
view.authForm.addEventListener('submit', (event) => void submitAuth(event));
view.more.addEventListener('click', () => void busy(view.more, () => loadPage()));
$('#sign-out').addEventListener('click', () => void signOut());
setInterval(refreshOverdue, 30_000);

const session = await auth.getSession({
  fetchOptions: {
    // Better Auth hands a fresh JWT along with the session: no second round trip needed.
    onSuccess: (ctx) => tasks.useToken(ctx.response.headers.get('set-auth-jwt')),
  },
});
if (session.data) await showSignedIn(session.data.user.email);
else showSignedOut();
