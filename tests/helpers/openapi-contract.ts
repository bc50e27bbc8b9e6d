// Checks an HTTP exchange against GS1's EPCIS 2.0 openapi.json (read from shared/conformance, never
// copied): the path template and method, the declared status, content type, headers and, with ajv,
// the body's schema. tests/helpers/service-app.ts runs it on every in-process response, so every
// HTTP test is also a contract test. GS1's own mistakes are fixed by the listed deviations only.
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsImport from 'ajv-formats';
import { CROSS_CUTTING_STATUSES, EQUIVALENT_MEDIA_TYPES } from './openapi-deviations.js';
import {
  escapePointer,
  type Json,
  type Located,
  loadOpenApiDocument,
  type OpenApiDocument,
} from './openapi-document.js';

// ajv-formats is CommonJS; under NodeNext its default export arrives wrapped.
const addFormats = addFormatsImport as unknown as (ajv: Ajv) => Ajv;

export interface Exchange {
  method: string;
  url: string;
  statusCode: number;
  headers: Record<string, string | string[] | number | undefined>;
  body: string;
}

const DOC_ID = 'openapi.json';
const PROBLEM_SCHEMA = '/components/schemas/RFC7807ProblemResponseBody';

const header = (exchange: Exchange, name: string): string | undefined => {
  const value = exchange.headers[name.toLowerCase()];
  return value === undefined ? undefined : Array.isArray(value) ? value.join(', ') : String(value);
};
const mediaType = (exchange: Exchange) => header(exchange, 'content-type')?.split(';')[0]?.trim();

export class OpenApiContract {
  /** The operations checked exchanges reached, for the coverage test. */
  readonly exercised = new Set<string>();
  private readonly ajv = new Ajv({ strict: false, allErrors: true });
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(private readonly spec: OpenApiDocument) {
    addFormats(this.ajv);
    this.ajv.addSchema(spec.doc, DOC_ID, undefined, false);
  }

  /** Every operation of the document as 'METHOD /template'. */
  get operations(): readonly string[] {
    return this.spec.operations;
  }

  /** The contract violations of one exchange; empty when it conforms. */
  check(exchange: Exchange): string[] {
    const { spec } = this;
    const path = exchange.url.split('?')[0] ?? '';
    if (spec.isExtension(path)) return [];
    const template = spec.templateOf(path);
    // Not a resource of the EPCIS binding nor one of ours: only an error can be the answer.
    if (template === null) return this.checkProblem(exchange, [404]);
    const head = exchange.method === 'HEAD';
    const method = head ? 'get' : exchange.method.toLowerCase();
    if (!(method in spec.at(`/paths/${escapePointer(template)}`))) return this.checkProblem(exchange, [405]);
    this.exercised.add(`${method.toUpperCase()} ${template}`);
    const responses = `/paths/${escapePointer(template)}/${method}/responses`;
    const status = String(exchange.statusCode);
    if (!(status in spec.at(responses))) {
      const declared = Object.keys(spec.at(responses)).join(', ');
      return this.checkProblem(exchange, [], `status ${status} is not declared (declared: ${declared})`);
    }
    const response = spec.resolve(`${responses}/${status}`);
    return [...this.checkHeaders(exchange, response), ...(head ? [] : this.checkBody(exchange, response))];
  }

  /** Throws with every violation, naming the exchange; what the service-app wrapper calls. */
  assert(exchange: Exchange): void {
    const violations = this.check(exchange);
    if (violations.length > 0) {
      throw new Error(
        `OpenAPI contract: ${exchange.method} ${exchange.url} → ${exchange.statusCode}\n  ${violations.join('\n  ')}\n  body: ${exchange.body.slice(0, 400)}`,
      );
    }
  }

  private validate(pointer: string, value: unknown): string[] {
    let validator = this.validators.get(pointer);
    if (validator === undefined) {
      validator = this.ajv.compile({ $ref: `${DOC_ID}#${pointer}` });
      this.validators.set(pointer, validator);
    }
    if (validator(value)) return [];
    // allErrors reports every branch of every anyOf; the distinct messages, first few, are enough.
    const messages = (validator.errors ?? []).map(
      (e) =>
        `${e.instancePath || '(root)'} ${e.message ?? ''}${e.params['allowedValues'] === undefined ? '' : ` ${JSON.stringify(e.params['allowedValues'])}`}`,
    );
    return [...new Set(messages)].slice(0, 6);
  }

  private checkHeaders(exchange: Exchange, response: Located): string[] {
    const declared = (response.node['headers'] ?? {}) as Record<string, Json>;
    return Object.entries(declared).flatMap(([name, spec]) => {
      const value = header(exchange, name);
      if (value === undefined) return spec['required'] === true ? [`header ${name} is required`] : [];
      const schema = this.spec.resolve(`${response.pointer}/headers/${escapePointer(name)}`);
      const typed = this.spec.resolve(`${schema.pointer}/schema`);
      const type = typed.node['type'];
      const coerced = type === 'integer' || type === 'number' ? Number(value) : value;
      return this.validate(typed.pointer, coerced).map((e) => `header ${name}: ${value} ${e}`);
    });
  }

  private checkBody(exchange: Exchange, response: Located): string[] {
    const content = response.node['content'] as Record<string, Json> | undefined;
    if (content === undefined) {
      return exchange.body === '' ? [] : ['a body was sent where the OpenAPI declares none'];
    }
    const sent = mediaType(exchange);
    const declared = Object.keys(content).find(
      (type) => type === sent || (sent !== undefined && EQUIVALENT_MEDIA_TYPES[sent] === type),
    );
    if (declared === undefined) {
      return [`content type ${sent ?? '(none)'} is not declared (${Object.keys(content).join(', ')})`];
    }
    if (content[declared]!['schema'] === undefined) return [];
    // XML answers are checked against GS1's XSDs by their own tests (tests/unit/xml/xml-answers.test.ts).
    if (declared === 'application/xml') return [];
    let body: unknown;
    try {
      body = JSON.parse(exchange.body) as unknown;
    } catch {
      return [`the ${declared} body is not JSON`];
    }
    const pointer = `${response.pointer}/content/${escapePointer(declared)}/schema`;
    return this.validate(pointer, body).map((e) => `body ${e}`);
  }

  /** An error answer outside the declared responses: expected statuses or the cross-cutting ones. */
  private checkProblem(exchange: Exchange, expected: number[], otherwise?: string): string[] {
    const status = exchange.statusCode;
    const crossCutting = CROSS_CUTTING_STATUSES[status];
    if (!expected.includes(status) && crossCutting === undefined) {
      return [
        otherwise ??
          `status ${status} where only ${expected.join(' or ')} or an error of every operation fits`,
      ];
    }
    const violations: string[] = [];
    if (mediaType(exchange) !== 'application/problem+json') {
      violations.push(`content type ${mediaType(exchange) ?? '(none)'} is not application/problem+json`);
    }
    if (status === 405 && header(exchange, 'allow') === undefined) violations.push('a 405 must carry Allow');
    let body: Json;
    try {
      body = JSON.parse(exchange.body) as Json;
    } catch {
      return [...violations, 'the problem body is not JSON'];
    }
    violations.push(...this.validate(PROBLEM_SCHEMA, body).map((e) => `problem ${e}`));
    if (body['status'] !== status) violations.push(`problem status ${String(body['status'])} ≠ ${status}`);
    const allowedTypes = expected.includes(status) ? undefined : crossCutting?.types;
    if (typeof body['type'] !== 'string' || !body['type'].startsWith('epcisException:')) {
      violations.push(`problem type ${String(body['type'])} is not an epcisException`);
    } else if (allowedTypes !== undefined && !allowedTypes.includes(body['type'].slice(15))) {
      violations.push(`problem type ${body['type']} is not one of ${allowedTypes.join(', ')} for ${status}`);
    }
    return violations;
  }
}

let shared: OpenApiContract | undefined;

/** The contract of GS1's openapi.json, built once per test file. */
export function openApiContract(): OpenApiContract {
  shared ??= new OpenApiContract(loadOpenApiDocument());
  return shared;
}
