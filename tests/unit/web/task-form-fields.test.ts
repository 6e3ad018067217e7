import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { EDITABLE_TASK_FIELDS } from '../../../src/domain/task/task.js';
import { createTaskBody } from '../../../src/interfaces/http/tasks/tasks.schemas.js';

const PAGE = readFileSync(new URL('../../../src/web/index.html', import.meta.url), 'utf8');

function part(pattern: RegExp): string {
  const match = pattern.exec(PAGE);
  if (!match) throw new Error(`index.html has no ${pattern}`);
  return match[0];
}

/** The fields a fragment of the page has a control for: `data-field="…"`. */
const controlsIn = (html: string) => [...html.matchAll(/data-field="([^"]+)"/g)].map((m) => m[1]);

const SHARED = part(/<template id="fields-template">[\s\S]*?<\/template>/);
/** A form's own controls and, in its `.fields-slot`, those every task form shares. */
const offeredBy = (form: string) =>
  [...controlsIn(form), ...(form.includes('class="fields-slot"') ? controlsIn(SHARED) : [])].sort();

describe('the task page’s forms', () => {
  it('offer every field a caller may set when adding a task', () => {
    const form = part(/<form id="new-task"[\s\S]*?<\/form>/);

    expect(offeredBy(form)).toEqual(Object.keys(createTaskBody.shape).sort());
  });

  it('offer every field a caller may set when editing one (the list’s checkbox completes it)', () => {
    const form = part(/<template id="edit-template">[\s\S]*?<\/template>/);

    expect(offeredBy(form)).toEqual(EDITABLE_TASK_FIELDS.filter((f) => f !== 'completed').sort());
  });

  it('have a place for each field’s error next to its control', () => {
    const errorsFor = (html: string) =>
      [...html.matchAll(/data-error-for="([^"]+)"/g)].map((m) => m[1]).sort();

    expect(errorsFor(SHARED)).toEqual(controlsIn(SHARED).sort());
  });
});
