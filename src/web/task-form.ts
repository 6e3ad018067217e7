import type { ValidationError } from '../client/api-errors.js';
import type { Priority, Recurrence, Task, UpdateTaskBody } from '../client/tasks-client.js';
import { $, describedBy, show } from './dom.js';
import { parseTags, toInstant, toLocalInput } from './task-format.js';

/**
 * The fields of a task a person sets (every one a caller may set, but completion): the same when
 * adding and when editing, with each field's error next to it.
 */

// Records over the API's own types: a new priority or recurrence without a label fails to compile.
export const PRIORITY_LABELS = {
  low: 'Low',
  medium: 'Medium',
  high: 'High',
} as const satisfies Record<Priority, string>;
export const REPEAT_LABELS = {
  daily: 'Repeats every day',
  weekly: 'Repeats every week',
  monthly: 'Repeats every month',
} as const satisfies Record<Recurrence, string>;

/** How the API names a query parameter in a 422, and how the page names it to a person. */
const PARAMETER_LABELS: Record<string, string> = { q: 'Search', tag: 'Tag', overdue: 'Overdue' };

export const isPriority = (value: string): value is Priority =>
  Object.hasOwn(PRIORITY_LABELS, value);
export const isRecurrence = (value: string): value is Recurrence =>
  Object.hasOwn(REPEAT_LABELS, value);

export function fieldLabel(field: string): string {
  const name = field.split('.')[0] ?? field;
  if (isFormField(name)) return CONTROLS[name].label;
  return PARAMETER_LABELS[name] ?? capitalize(name);
}

export const sentence = (subject: string, problem: string) => `${subject} ${problem}.`;

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The fields the form edits: every field a caller may set, but `completed` (the list's checkbox). */
type FormField = Exclude<keyof UpdateTaskBody, 'completed'>;
type FormControl = HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement;

/** A task form and its control of each field (the `[data-field]` of that name in index.html). */
export type TaskForm = { readonly form: HTMLFormElement } & {
  readonly [K in FormField]: FormControl;
};

/** What a task form holds, in the API's terms. */
export type TaskFormValues = { readonly [K in FormField]-?: Exclude<UpdateTaskBody[K], undefined> };

interface Control<K extends FormField> {
  /** How the page names the field to a person (in the sentences of a 422). */
  readonly label: string;
  /** The text its control shows for a task's value. */
  show(value: Task[K]): string;
  /** The value a control's text stands for. */
  read(text: string): TaskFormValues[K];
}

/**
 * Every field of the form: how a person knows it, and how its control shows and reads a value.
 * A field the API lets a caller set and missing here does not compile.
 */
const CONTROLS: { readonly [K in FormField]: Control<K> } = {
  title: { label: 'Title', show: (title) => title, read: (text) => text },
  description: {
    label: 'Description',
    show: (description) => description ?? '',
    read: (text) => text.trim() || null,
  },
  priority: {
    label: 'Priority',
    show: (priority) => priority,
    read: (text) => (isPriority(text) ? text : 'medium'),
  },
  tags: { label: 'Tags', show: (tags) => tags.join(', '), read: parseTags },
  dueAt: {
    label: 'Due date',
    show: (dueAt) => (dueAt ? toLocalInput(dueAt) : ''),
    read: (text) => (text ? toInstant(text) : null),
  },
  recurrence: {
    label: 'Repeats',
    show: (recurrence) => recurrence ?? '',
    read: (text) => (isRecurrence(text) ? text : null),
  },
};
const FORM_FIELDS = Object.keys(CONTROLS) as FormField[];
const isFormField = (name: string): name is FormField => Object.hasOwn(CONTROLS, name);

const shown = <K extends FormField>(field: K, task: Task): string =>
  CONTROLS[field].show(task[field]);
const read = <K extends FormField>(field: K, text: string): TaskFormValues[K] =>
  CONTROLS[field].read(text);

let formCount = 0;

/** Puts the priority, due, repeat and tag fields into `form`, with ids for labels and errors. */
export function taskForm(form: HTMLFormElement): TaskForm {
  const fields = $<HTMLTemplateElement>('#fields-template').content.firstElementChild?.cloneNode(
    true,
  ) as HTMLElement;
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
  const parts = Object.fromEntries([
    ['form', form],
    ...FORM_FIELDS.map((field) => [field, $<FormControl>(`[data-field=${field}]`, form)]),
  ]) as TaskForm;
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
export function syncTaskForm(parts: TaskForm): void {
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

export function fillTaskForm(parts: TaskForm, task: Task): void {
  for (const field of FORM_FIELDS) parts[field].value = shown(field, task);
  syncTaskForm(parts);
}

/** The form's values, or null (with the field marked) when the due date is not a real time. */
export function readTaskForm(parts: TaskForm): TaskFormValues | null {
  const values = Object.fromEntries(
    FORM_FIELDS.map((field) => [field, read(field, parts[field].value)]),
  ) as { -readonly [K in FormField]: TaskFormValues[K] };
  if (parts.dueAt.value && values.dueAt === null) {
    fieldError(parts, 'dueAt', 'Due date must be a complete date and time.');
    return null;
  }
  if (values.dueAt === null) values.recurrence = null;
  return values;
}

export function fieldError(parts: TaskForm, field: string, message: string | null): void {
  const error = parts.form.querySelector<HTMLElement>(`[data-error-for="${field}"]`);
  const control = parts.form.querySelector<HTMLElement>(`[data-field="${field}"]`);
  if (!error || !control) return;
  show(error, message);
  if (message) control.setAttribute('aria-invalid', 'true');
  else control.removeAttribute('aria-invalid');
  describedBy(control, error.id, message !== null);
}

export function clearErrors(parts: TaskForm): void {
  for (const control of parts.form.querySelectorAll<HTMLElement>('[data-field]')) {
    fieldError(parts, control.dataset.field ?? '', null);
  }
  show($('.form-error', parts.form), null);
}

/**
 * Shows each problem of a 422 next to its field (a tag by its name: `tags.2` is the third one
 * sent) and focuses the first; anything else goes to the form's own error line.
 */
export function showValidation(
  parts: TaskForm,
  error: ValidationError,
  sent: TaskFormValues,
): void {
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

/**
 * Sends only what the person changed: a field whose control reads as it did when filled is left
 * out, so an untouched due date keeps its exact instant.
 */
export function changesOf(task: Task, values: TaskFormValues, parts: TaskForm): UpdateTaskBody {
  const same = (field: FormField) =>
    JSON.stringify(read(field, parts[field].value)) ===
    JSON.stringify(read(field, shown(field, task)));
  return Object.fromEntries(
    FORM_FIELDS.filter((field) => !same(field)).map((field) => [field, values[field]]),
  ) as UpdateTaskBody;
}
