import type { ValidationError } from '../client/api-errors.js';
import type { Priority, Recurrence, Task, UpdateTaskBody } from '../client/tasks-client.js';
import { $, describedBy, show } from './dom.js';
import { parseTags, toInstant, toLocalInput } from './task-format.js';

/**
 * The fields of a task (title, description, priority, due date, repeat, tags): the same when
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

export const isPriority = (value: string): value is Priority =>
  Object.hasOwn(PRIORITY_LABELS, value);
export const isRecurrence = (value: string): value is Recurrence =>
  Object.hasOwn(REPEAT_LABELS, value);

export function fieldLabel(field: string): string {
  const name = field.split('.')[0] ?? field;
  return FIELD_LABELS[name] ?? capitalize(name);
}

export const sentence = (subject: string, problem: string) => `${subject} ${problem}.`;

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export interface TaskForm {
  readonly form: HTMLFormElement;
  readonly title: HTMLInputElement;
  readonly description: HTMLTextAreaElement;
  readonly priority: HTMLSelectElement;
  readonly dueAt: HTMLInputElement;
  readonly recurrence: HTMLSelectElement;
  readonly tags: HTMLInputElement;
}

/** What a task form holds, in the API's terms. */
export interface TaskFormValues {
  readonly title: string;
  readonly description: string | null;
  readonly priority: Priority;
  readonly tags: string[];
  readonly dueAt: string | null;
  readonly recurrence: Recurrence | null;
}

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
  parts.title.value = task.title;
  parts.description.value = task.description ?? '';
  parts.priority.value = task.priority;
  parts.tags.value = task.tags.join(', ');
  parts.dueAt.value = task.dueAt ? toLocalInput(task.dueAt) : '';
  syncTaskForm(parts);
  parts.recurrence.value = task.recurrence ?? '';
}

/** The form's values, or null (with the field marked) when the due date is not a real time. */
export function readTaskForm(parts: TaskForm): TaskFormValues | null {
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

/** Sends only what the person changed: an untouched due date keeps its exact instant. */
export function changesOf(task: Task, values: TaskFormValues, parts: TaskForm): UpdateTaskBody {
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
