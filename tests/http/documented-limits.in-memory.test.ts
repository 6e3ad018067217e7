import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createOpenApiDocument } from '../../src/interfaces/http/openapi/openapi-document.js';
import type { Response, SignedInUser } from '../support/api-client.js';
import { IN_MEMORY, type World } from '../support/worlds.js';

interface Schema {
  readonly maxLength?: number;
  readonly items?: Schema;
  readonly anyOf?: readonly Schema[];
  readonly properties?: Record<string, Schema>;
}
interface Parameter {
  readonly name: string;
  readonly in: string;
  readonly schema: Schema;
}
interface OperationObject {
  readonly parameters?: (Parameter | { $ref: string })[];
  readonly requestBody?: { content: Record<string, { schema: Schema }> };
}

const document = createOpenApiDocument() as unknown as {
  paths: Record<string, Record<string, OperationObject>>;
  components: { parameters: Record<string, Parameter> };
};

/** The longest value a schema documents: its own maxLength, an item's, or a union member's. */
function limitOf(schema: Schema | undefined, name: string): [string, number][] {
  if (!schema) return [];
  if (schema.maxLength !== undefined) return [[name, schema.maxLength]];
  if (schema.items) return limitOf(schema.items, `${name}[]`);
  return (schema.anyOf ?? []).flatMap((member) => limitOf(member, name));
}

/** Every request input whose length the document bounds, as `in name: maxLength`. */
function documentedLimits(): Set<string> {
  const limits = Object.values(document.paths).flatMap((item) =>
    Object.values(item).flatMap((operation) => [
      ...(operation.parameters ?? []).flatMap((given) => {
        const p =
          '$ref' in given ? document.components.parameters[given.$ref.split('/').pop()!]! : given;
        return limitOf(p.schema, `${p.in} ${p.name}`);
      }),
      ...Object.values(operation.requestBody?.content ?? {}).flatMap(({ schema }) =>
        Object.entries(schema.properties ?? {}).flatMap(([name, property]) =>
          limitOf(property, `body ${name}`),
        ),
      ),
    ]),
  );
  return new Set(limits.map(([name, max]) => `${name}: ${max}`));
}

/** Exactly `length` characters: `text` repeated and cut. */
const sized = (text: string, length: number) =>
  text.repeat(Math.ceil(length / text.length)).slice(0, length);
/** A well-formed instant of exactly `length` characters: a long fraction of a second. */
const instant = (length: number) => `2026-12-01T09:00:00.${'1'.repeat(length - 21)}Z`;
/** A well-formed list of ETags naming version 1, of exactly `length` characters. */
const etags = (length: number) => {
  const more = Math.floor((length - 3) / 5);
  // Spaces inside the list: fetch trims them from the ends of a header.
  const padding = ' '.repeat(length - 3 - 5 * more);
  return `"1",${padding} "1"${', "1"'.repeat(more - 1)}`;
};

interface Context {
  readonly world: World;
  readonly user: SignedInUser;
  /** A fresh task of the user's, at version 1. */
  task(): Promise<string>;
}

/**
 * For each documented bound: a request sending a value one character too long but otherwise well
 * formed, the status that refuses it, and (unless `atBound` is false, where no value of that
 * length could be right) the same request at the bound, which is not refused.
 */
const CASES: Record<
  string,
  {
    readonly status: number;
    readonly send: (c: Context, length: number) => Promise<Response>;
    readonly atBound?: false;
  }
> = {
  'path userId: 255': {
    // A user id over 255 characters is never a token's `sub`, so never the caller's list.
    status: 404,
    atBound: false,
    send: ({ world, user }, length) =>
      world.api.request('GET', `/api/${sized(user.id, length)}/tasks`, { token: user.token }),
  },
  'path taskId: 36': {
    status: 404,
    send: async (c, length) =>
      c.world.api.request('GET', `/api/${c.user.id}/tasks/${sized(await c.task(), length)}`, {
        token: c.user.token,
      }),
  },
  'path asset: 64': {
    status: 404,
    atBound: false,
    send: ({ world }, length) => world.api.request('GET', `/docs/${sized('a', length - 3)}.js`),
  },
  'header X-Request-Id: 16384': {
    // Over Node's limit on all headers together: refused before the app sees it.
    status: 431,
    atBound: false,
    send: async ({ world }, length) => {
      // Not through the world's client: Node's own 431 is no answer of the document's.
      const res = await fetch(`${world.api.baseUrl}/health`, {
        headers: { 'X-Request-Id': sized('r', length) },
      });
      return { status: res.status, headers: res.headers, body: await res.text() };
    },
  },
  'header If-Match: 1024': {
    status: 400,
    send: async (c, length) =>
      c.world.api.request('DELETE', `/api/${c.user.id}/tasks/${await c.task()}`, {
        token: c.user.token,
        headers: { 'If-Match': etags(length) },
      }),
  },
  'header If-None-Match: 1024': {
    status: 400,
    send: async (c, length) =>
      c.world.api.request('GET', `/api/${c.user.id}/tasks/${await c.task()}`, {
        token: c.user.token,
        headers: { 'If-None-Match': etags(length) },
      }),
  },
  'header Idempotency-Key: 512': {
    status: 400,
    send: ({ world, user }, length) =>
      world.api.request('POST', `/api/${user.id}/tasks`, {
        token: user.token,
        json: { title: 'Keyed' },
        // 255 escaped quotes in quotes at the bound; one more character over it.
        headers: { 'Idempotency-Key': `"${'\\"'.repeat(255)}${'k'.repeat(length - 512)}"` },
      }),
  },
  'query cursor: 2048': {
    status: 422,
    atBound: false,
    send: ({ world, user }, length) =>
      world.api.request('GET', `/api/${user.id}/tasks?cursor=${sized('a', length)}`, {
        token: user.token,
      }),
  },
  'query since: 256': {
    // No sync token of that length is one this API returned.
    status: 422,
    atBound: false,
    send: ({ world, user }, length) =>
      world.api.request('GET', `/api/${user.id}/tasks/changes?since=${sized('s', length)}`, {
        token: user.token,
      }),
  },
  'header Last-Event-ID: 256': {
    status: 422,
    atBound: false,
    send: ({ world, user }, length) =>
      world.api.request('GET', `/api/${user.id}/tasks/events`, {
        token: user.token,
        headers: { Accept: 'text/event-stream', 'Last-Event-ID': sized('e', length) },
      }),
  },
  'query q: 100': {
    status: 422,
    send: ({ world, user }, length) =>
      world.api.request('GET', `/api/${user.id}/tasks?q=${sized('q', length)}`, {
        token: user.token,
      }),
  },
  'query tag[]: 32': {
    status: 422,
    send: ({ world, user }, length) =>
      world.api.request('GET', `/api/${user.id}/tasks?tag=${sized('t', length)}`, {
        token: user.token,
      }),
  },
  'query dueAfter: 35': {
    status: 422,
    send: ({ world, user }, length) =>
      world.api.request('GET', `/api/${user.id}/tasks?dueAfter=${instant(length)}`, {
        token: user.token,
      }),
  },
  'query dueBefore: 35': {
    status: 422,
    send: ({ world, user }, length) =>
      world.api.request('GET', `/api/${user.id}/tasks?dueBefore=${instant(length)}`, {
        token: user.token,
      }),
  },
  'body title: 200': {
    status: 422,
    send: ({ world, user }, length) =>
      world.api.request('POST', `/api/${user.id}/tasks`, {
        token: user.token,
        json: { title: sized('T', length) },
      }),
  },
  'body description: 1000': {
    status: 422,
    send: ({ world, user }, length) =>
      world.api.request('POST', `/api/${user.id}/tasks`, {
        token: user.token,
        json: { title: 'Described', description: sized('d', length) },
      }),
  },
  'body tags[]: 32': {
    status: 422,
    send: ({ world, user }, length) =>
      world.api.request('POST', `/api/${user.id}/tasks`, {
        token: user.token,
        json: { title: 'Tagged', tags: [sized('t', length)] },
      }),
  },
  'body dueAt: 35': {
    status: 422,
    send: ({ world, user }, length) =>
      world.api.request('POST', `/api/${user.id}/tasks`, {
        token: user.token,
        json: { title: 'Due', dueAt: instant(length) },
      }),
  },
};

describe('every length the document bounds is refused beyond the bound', () => {
  let context: Context;

  beforeAll(async () => {
    const world = await IN_MEMORY.start({ label: 'documented_limits' });
    const user = await world.signUp('Bounded');
    const task = async () => {
      const created = await world.api.request<{ id: string }>('POST', `/api/${user.id}/tasks`, {
        token: user.token,
        json: { title: 'Target' },
      });
      return created.body.id;
    };
    context = { world, user, task };
  });

  afterAll(async () => {
    await context?.world.close();
  });

  it('has a case for each bounded input of the document', () => {
    expect(Object.keys(CASES).sort()).toEqual([...documentedLimits()].sort());
  });

  it.each(Object.entries(CASES))('%s', async (name, { status, send, atBound }) => {
    const max = Number(name.split(': ')[1]);
    const over = await send(context, max + 1);
    expect({ name, status: over.status }).toEqual({ name, status });
    if (atBound === false) return;
    const at = await send(context, max);
    expect({ name, accepted: [200, 201, 204, 304].includes(at.status), status: at.status }).toEqual(
      {
        name,
        accepted: true,
        status: at.status,
      },
    );
  });
});
