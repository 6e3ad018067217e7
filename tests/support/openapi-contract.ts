import type { ValidateFunction } from 'ajv';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import {
  createOpenApiDocument,
  type OpenApiDocument,
} from '../../src/interfaces/http/openapi/openapi-document.js';

/** An answer as the test client read it: the body parsed when it is JSON, else its text. */
export interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly body: unknown;
}

interface HeaderObject {
  readonly required?: boolean;
  readonly schema: object;
}
interface ResponseObject {
  /** A media type without a schema (a page, a script) takes any body of its type. */
  readonly content?: Record<string, { schema?: object }>;
  readonly headers?: Record<string, HeaderObject | { $ref: string }>;
}
interface Operation {
  readonly method: string;
  readonly template: string;
  readonly pattern: RegExp;
  readonly parameters: number;
  readonly responses: Record<string, ResponseObject>;
}

const DOCUMENT_ID = 'openapi.json';

/**
 * Checks real answers against the OpenAPI document the app serves: the status is one the
 * operation lists, the content type one it describes (or no body where it describes none), the
 * body valid against that schema (JSON Schema 2020-12), every required header present and every
 * documented header valid. A request to a path the document does not describe (Better Auth's
 * /api/auth/*) is not checked.
 */
export class OpenApiContract {
  private readonly ajv = new Ajv2020.default({ strict: false, allErrors: true });
  private readonly operations: Operation[];
  private readonly validators = new Map<string, ValidateFunction>();
  /** How many answers were checked, so a test can prove the check ran. */
  checked = 0;

  constructor(readonly document: OpenApiDocument = createOpenApiDocument()) {
    addFormats.default(this.ajv);
    this.ajv.addSchema(document as object, DOCUMENT_ID, undefined, false);
    this.operations = Object.entries(document.paths ?? {}).flatMap(([template, item]) =>
      Object.entries(item as Record<string, { responses?: Record<string, ResponseObject> }>)
        .filter(([, operation]) => operation.responses !== undefined)
        .map(([method, operation]) => ({
          method: method.toUpperCase(),
          template,
          pattern: new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`),
          parameters: (template.match(/\{/g) ?? []).length,
          responses: operation.responses ?? {},
        })),
    );
  }

  /** The operation of `method` and a concrete path, preferring literal segments. */
  operationOf(method: string, path: string): Operation | undefined {
    return this.operations
      .filter((op) => op.method === method && op.pattern.test(path))
      .sort((a, b) => a.parameters - b.parameters)[0];
  }

  /** What is wrong with `answer` to `method url`; empty when it matches the document. */
  problemsOf(method: string, url: string, answer: Answer): string[] {
    const path = new URL(url, 'http://localhost').pathname;
    const operation = this.operationOf(method, path);
    if (!operation) return [];
    this.checked++;
    const at = `${method} ${operation.template} → ${answer.status}`;
    const response = operation.responses[String(answer.status)];
    if (!response) return [`${at}: the document lists no such answer`];
    const pointer = ['paths', operation.template, method.toLowerCase(), 'responses'];
    return [
      ...this.bodyProblems(at, [...pointer, String(answer.status)], response, answer),
      ...this.headerProblems(at, response, answer.headers),
    ];
  }

  private bodyProblems(
    at: string,
    pointer: string[],
    response: ResponseObject,
    answer: Answer,
  ): string[] {
    const type = (answer.headers.get('content-type') ?? '').split(';')[0]?.trim() ?? '';
    if (!response.content) {
      return answer.body === '' ? [] : [`${at}: a body where the document describes none`];
    }
    if (!response.content[type]) {
      const described = Object.keys(response.content).join(', ');
      return [`${at}: Content-Type ${type || '(none)'}, the document describes ${described}`];
    }
    if (!response.content[type].schema) return [];
    return this.schemaProblems(`${at} body`, [...pointer, 'content', type, 'schema'], answer.body);
  }

  private headerProblems(at: string, response: ResponseObject, headers: Headers): string[] {
    return Object.entries(response.headers ?? {}).flatMap(([name, given]) => {
      const ref = '$ref' in given ? given.$ref.replace(/^#\//, '').split('/') : null;
      const header = ref ? (this.at(ref) as HeaderObject) : (given as HeaderObject);
      const value = headers.get(name);
      if (value === null) return header.required ? [`${at}: no ${name} header`] : [];
      const pointer = ref ?? [];
      return ref
        ? this.schemaProblems(`${at} ${name}`, [...pointer, 'schema'], value)
        : this.inlineProblems(`${at} ${name}`, header.schema, value);
    });
  }

  private schemaProblems(what: string, pointer: string[], value: unknown): string[] {
    const fragment = pointer.map((s) =>
      encodeURIComponent(s.replace(/~/g, '~0').replace(/\//g, '~1')),
    );
    const ref = `${DOCUMENT_ID}#/${fragment.join('/')}`;
    let validate = this.validators.get(ref);
    if (!validate) {
      validate = this.ajv.compile({ $ref: ref });
      this.validators.set(ref, validate);
    }
    return validate(value) ? [] : [`${what}: ${this.ajv.errorsText(validate.errors)}`];
  }

  private inlineProblems(what: string, schema: object, value: unknown): string[] {
    const validate = this.ajv.compile(schema);
    return validate(value) ? [] : [`${what}: ${this.ajv.errorsText(validate.errors)}`];
  }

  private at(pointer: string[]): unknown {
    return pointer.reduce<unknown>(
      (node, key) => (node as Record<string, unknown>)[key],
      this.document,
    );
  }
}

let shared: OpenApiContract | undefined;

/** One contract per test file: the document is the same for every app. */
export function openApiContract(): OpenApiContract {
  shared ??= new OpenApiContract();
  return shared;
}

/** Throws when an answer does not match the document (for the test client's hook). */
export function assertMatchesDocument(method: string, url: string, answer: Answer): void {
  const problems = openApiContract().problemsOf(method, url, answer);
  if (problems.length > 0) {
    throw new Error(`The answer does not match the OpenAPI document:\n- ${problems.join('\n- ')}`);
  }
}
