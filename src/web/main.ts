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
  type Recurrence,
  type Task,
  type UpdateTaskBody,
} from '../client/tasks-client.js';
import {
  formatDue,
  formatDueInFull,
  isOverdue,
  parseTags,
  toInstant,
  toLocalInput,
} from './task-format.js';

type Status = 'all' | 'pending' | 'completed';
type Sort = `${NonNullable<ListTasksQuery['sort']>}:${NonNullable<ListTasksQuery['order']>}`;

const PAGE_SIZE = 20;
const SEARCH_DELAY_MS = 300;
const auth = createTaskApiAuthClient(location.origin);
const tasks = createTasksClient({ baseUrl: location.origin });

// Records over the API's own types: a new priority or recurrence without a label fails to compile.
const PRIORITY_LABELS = {
  low: 'Low',
  medium: 'Medium',
  high: 'High',
} as const satisfies Record<Priority, string>;
const REPEAT_LABELS = {
  daily: 'Repeats every day',
  weekly: 'Repeats every week',
  monthly: 'Repeats every month',
} as const satisfies Record<Recurrence, string>;
const SORTS = {
  'createdAt:desc': 'Newest first',
  'createdAt:asc': 'Oldest first',
  'dueAt:asc': 'Due soonest',
  'priority:desc': 'Highest priority',
  'title:asc': 'Title A–Z',
} as const satisfies Partial<Record<Sort, string>>;
type SortChoice = keyof typeof SORTS;

/** How the API names a field in a 422, and how the page names it to a person. */
const FIELD_LABELS: Record<string, string> = {
  title: 'Title',
  description: 'Description',
  priority: 'Priority',
  tags: 'Tags',
  dueAt: 'Due date',
  recurrence: 'Repeats',
  q: 'Search',
  tag: 'Tag',
  overdue: 'Overdue',
};

const isPriority = (value: string): value is Priority => Object.hasOwn(PRIORITY_LABELS, value);
const isRecurrence = (value: string): value is Recurrence => Object.hasOwn(REPEAT_LABELS, value);
const isSort = (value: string): value is SortChoice => Object.hasOwn(SORTS, value);

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
  fieldsTemplate: $<HTMLTemplateElement>('#fields-template'),
  taskTemplate: $<HTMLTemplateElement>('#task-template'),
  editTemplate: $<HTMLTemplateElement>('#edit-template'),
};

let mode: 'sign-in' | 'sign-up' = 'sign-in';
let nextCursor: string | null = null;
/** Counts list requests: an answer to an older one (a search typed further meanwhile) is dropped. */
let generation = 0;

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

function fieldLabel(field: string): string {
  const name = field.split('.')[0] ?? field;
  return FIELD_LABELS[name] ?? capitalize(name);
}

const sentence = (subject: string, problem: string) => `${subject} ${problem}.`;

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function show(element: HTMLElement, message: string | null): void {
  element.textContent = message ?? '';
  element.hidden = !message;
}

let noticeTimer: ReturnType<typeof setTimeout> | undefined;
/** A polite message that goes away by itself: what just happened, when it is not obvious. */
function announce(message: string | null): void {
  clearTimeout(noticeTimer);
  show(view.notice, message);
  if (message) noticeTimer = setTimeout(() => show(view.notice, null), 10_000);
}

async function busy<T>(button: HTMLButtonElement | null, work: () => Promise<T>): Promise<T> {
  if (button) button.disabled = true;
  try {
    return await work();
  } finally {
    if (button) button.disabled = false;
  }
}

/** Adds or removes one id in a control's aria-describedby. */
function describedBy(control: Element, id: string, on: boolean): void {
  const ids = new Set((control.getAttribute('aria-describedby') ?? '').split(' ').filter(Boolean));
  if (on) ids.add(id);
  else ids.delete(id);
  if (ids.size > 0) control.setAttribute('aria-describedby', [...ids].join(' '));
  else control.removeAttribute('aria-describedby');
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

// ---- The fields of a task: the same when adding and when editing ---------------------------

interface TaskForm {
  readonly form: HTMLFormElement;
  readonly title: HTMLInputElement;
  readonly description: HTMLTextAreaElement;
  readonly priority: HTMLSelectElement;
  readonly dueAt: HTMLInputElement;
  readonly recurrence: HTMLSelectElement;
  readonly tags: HTMLInputElement;
}

/** What a task form holds, in the API's terms. */
interface TaskFormValues {
  readonly title: string;
  readonly description: string | null;
  readonly priority: Priority;
  readonly tags: string[];
  readonly dueAt: string | null;
  readonly recurrence: Recurrence | null;
}

let formCount = 0;

/** Puts the priority, due, repeat and tag fields into `form`, with ids for labels and errors. */
function taskForm(form: HTMLFormElement): TaskForm {
  const fields = view.fieldsTemplate.content.firstElementChild?.cloneNode(true) as HTMLElement;
  $('.fields-slot', form).replaceWith(fields);
  const prefix = `task-form-${++formCount}`;
  for (const control of form.querySelectorAll<HTMLElement>('[data-field]')) {
    control.id = `${prefix}-${control.dataset.field}`;
    const error = form.querySelector<HTMLElement>(`[data-error-for="${control.dataset.field}"]`);
    if (error) error.id = `${control.id}-error`;
  }
  for (const label of form.querySelectorAll<HTMLLabelElement>('label[data-for]')) {
    label.htmlFor = `${prefix}-${label.dataset.for}`;
  }
  const parts: TaskForm = {
    form,
    title: $<HTMLInputElement>('[data-field=title]', form),
    description: $<HTMLTextAreaElement>('[data-field=description]', form),
    priority: $<HTMLSelectElement>('[data-field=priority]', form),
    dueAt: $<HTMLInputElement>('[data-field=dueAt]', form),
    recurrence: $<HTMLSelectElement>('[data-field=recurrence]', form),
    tags: $<HTMLInputElement>('[data-field=tags]', form),
  };
  const repeatHint = $('.repeat-hint', form);
  repeatHint.id = `${prefix}-repeat-hint`;
  const tagsHint = $('.tags-hint', form);
  tagsHint.id = `${prefix}-tags-hint`;
  describedBy(parts.tags, tagsHint.id, true);

  const clearDue = $<HTMLButtonElement>('.clear-due', form);
  clearDue.setAttribute('aria-label', 'Clear the due date');
  parts.dueAt.addEventListener('input', () => syncTaskForm(parts));
  parts.dueAt.addEventListener('change', () => syncTaskForm(parts));
  clearDue.addEventListener('click', () => {
    parts.dueAt.value = '';
    syncTaskForm(parts);
    parts.dueAt.focus();
  });
  parts.tags.addEventListener('input', () => syncTaskForm(parts));
  // A field the person is fixing no longer shows the problem it had.
  form.addEventListener('input', (event) => {
    const field = (event.target as HTMLElement).dataset.field;
    if (field) fieldError(parts, field, null);
  });
  syncTaskForm(parts);
  return parts;
}

/** Repeating needs a due date: without one the choice is off, and the page says why. */
function syncTaskForm(parts: TaskForm): void {
  const due = parts.dueAt.value !== '';
  parts.recurrence.disabled = !due;
  if (!due) parts.recurrence.value = '';
  const hint = $('.repeat-hint', parts.form);
  hint.hidden = due;
  describedBy(parts.recurrence, hint.id, !due);
  $('.clear-due', parts.form).hidden = !due;

  const preview = $<HTMLUListElement>('.tag-preview', parts.form);
  preview.replaceChildren(
    ...parseTags(parts.tags.value).map((tag) => {
      const chip = document.createElement('li');
      chip.className = 'chip';
      chip.textContent = `#${tag}`;
      return chip;
    }),
  );
  preview.hidden = preview.children.length === 0;
}

function fillTaskForm(parts: TaskForm, task: Task): void {
  parts.title.value = task.title;
  parts.description.value = task.description ?? '';
  parts.priority.value = task.priority;
  parts.tags.value = task.tags.join(', ');
  parts.dueAt.value = task.dueAt ? toLocalInput(task.dueAt) : '';
  syncTaskForm(parts);
  parts.recurrence.value = task.recurrence ?? '';
}

/** The form's values, or null (with the field marked) when the due date is not a real time. */
function readTaskForm(parts: TaskForm): TaskFormValues | null {
  const dueAt = parts.dueAt.value ? toInstant(parts.dueAt.value) : null;
  if (parts.dueAt.value && dueAt === null) {
    fieldError(parts, 'dueAt', 'Due date must be a complete date and time.');
    return null;
  }
  const priority = parts.priority.value;
  const recurrence = parts.recurrence.value;
  return {
    title: parts.title.value,
    description: parts.description.value.trim() || null,
    priority: isPriority(priority) ? priority : 'medium',
    tags: parseTags(parts.tags.value),
    dueAt,
    recurrence: dueAt && isRecurrence(recurrence) ? recurrence : null,
  };
}

function fieldError(parts: TaskForm, field: string, message: string | null): void {
  const error = parts.form.querySelector<HTMLElement>(`[data-error-for="${field}"]`);
  const control = parts.form.querySelector<HTMLElement>(`[data-field="${field}"]`);
  if (!error || !control) return;
  show(error, message);
  if (message) control.setAttribute('aria-invalid', 'true');
  else control.removeAttribute('aria-invalid');
  describedBy(control, error.id, message !== null);
}

function clearErrors(parts: TaskForm): void {
  for (const control of parts.form.querySelectorAll<HTMLElement>('[data-field]')) {
    fieldError(parts, control.dataset.field ?? '', null);
  }
  show($('.form-error', parts.form), null);
}

/**
 * Shows each problem of a 422 next to its field (a tag by its name: `tags.2` is the third one
 * sent) and focuses the first; anything else goes to the form's own error line.
 */
function showValidation(parts: TaskForm, error: ValidationError, sent: TaskFormValues): void {
  clearErrors(parts);
  const byField = new Map<string, string[]>();
  const elsewhere: string[] = [];
  for (const [field, problem] of Object.entries(error.fields)) {
    const [name, index] = field.split('.');
    const tag = name === 'tags' && index !== undefined ? sent.tags[Number(index)] : undefined;
    const message =
      tag === undefined ? sentence(fieldLabel(field), problem) : sentence(`Tag “${tag}”`, problem);
    if (name && parts.form.querySelector(`[data-field="${name}"]`)) {
      byField.set(name, [...(byField.get(name) ?? []), message]);
    } else {
      elsewhere.push(message);
    }
  }
  for (const [field, messages] of byField) fieldError(parts, field, messages.join(' '));
  show($('.form-error', parts.form), elsewhere.join(' ') || null);
  parts.form.querySelector<HTMLElement>('[aria-invalid=true]')?.focus();
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
    const items = page.items.map((task) => renderTask(task, now));
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
  const control = ['.toggle', '.edit', '.delete', '.tag-chip'].find((s) => focused?.matches(s));
  change();
  if (!item || !control || item.isConnected) return;
  view.list.querySelector<HTMLElement>(`.task[data-id="${item.dataset.id}"] ${control}`)?.focus();
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
  const parts = taskForm($<HTMLFormElement>('form', editor));
  parts.form.setAttribute('aria-label', `Edit "${task.title}"`);
  fillTaskForm(parts, task);
  const close = () => {
    const shown = renderTask(task);
    editor.replaceWith(shown);
    $('.edit', shown).focus();
  };
  $('.cancel', parts.form).addEventListener('click', close);
  parts.form.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') close();
  });
  parts.form.addEventListener('submit', (event) => {
    event.preventDefault();
    void saveTask(task, editor, parts);
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
      // The newest task goes first: no need to ask the server where it belongs.
      if (keepsShowing(task)) view.list.prepend(renderTask(task));
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

/** Sends only what the person changed: an untouched due date keeps its exact instant. */
function changesOf(task: Task, values: TaskFormValues, parts: TaskForm): UpdateTaskBody {
  const changes: { -readonly [K in keyof UpdateTaskBody]: UpdateTaskBody[K] } = {};
  if (values.title !== task.title) changes.title = values.title;
  if (values.description !== task.description) changes.description = values.description;
  if (values.priority !== task.priority) changes.priority = values.priority;
  if (values.tags.join(' ') !== task.tags.join(' ')) changes.tags = values.tags;
  const dueShown = task.dueAt ? toLocalInput(task.dueAt) : '';
  if (parts.dueAt.value !== dueShown) changes.dueAt = values.dueAt;
  if (values.recurrence !== task.recurrence) changes.recurrence = values.recurrence;
  return changes;
}

async function saveTask(task: Task, editor: HTMLLIElement, parts: TaskForm): Promise<void> {
  clearErrors(parts);
  const values = readTaskForm(parts);
  if (!values) return;
  const changes = changesOf(task, values, parts);
  try {
    const updated =
      Object.keys(changes).length === 0
        ? task
        : await busy(parts.form.querySelector('button[type=submit]'), () =>
            tasks.update(task, changes),
          );
    const shown = renderTask(updated);
    editor.replaceWith(shown);
    $('.edit', shown).focus();
  } catch (error) {
    if (error instanceof ValidationError) return showValidation(parts, error, values);
    if (error instanceof TaskChangedError) return changedElsewhere(task, editor);
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

function applyFilters(): void {
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

let searchTimer: ReturnType<typeof setTimeout> | undefined;
function searchSoon(delay = SEARCH_DELAY_MS): void {
  clearTimeout(searchTimer);
  searchTimer = setTimeout(() => {
    const q = view.searchInput.value.trim();
    if (q === filters.q) return;
    filters.q = q;
    applyFilters();
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
