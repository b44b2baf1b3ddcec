import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import AjvModule, { type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

/**
 * The Twitch Helix OpenAPI contract (test/fixtures/helix-contract/, the part of Twitch's
 * description covering the endpoints we call) as a test oracle: do our requests exist in
 * it, and do the stand-in's answers match its schemas?
 */

// ajv and ajv-formats are CommonJS; under NodeNext their default export is the module object.
const Ajv = AjvModule.default;
const addFormats = addFormatsModule.default;

interface ParamSchema {
  type?: string;
  enum?: string[];
  format?: string;
  items?: ParamSchema;
}

interface SpecParameter {
  name: string;
  in: string;
  required?: boolean;
  schema?: ParamSchema;
}

interface SpecOperation {
  operationId?: string;
  parameters?: SpecParameter[];
  responses: Record<string, { content?: Record<string, { schema?: unknown }> }>;
}

export interface HelixSpec {
  paths: Record<string, Record<string, SpecOperation>>;
  components: { schemas: Record<string, unknown> };
}

export interface SpecJournalEntry {
  method: string;
  path: string;
  query: Record<string, string[]>;
}

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The committed contract; scripts/cut-helix-contract.ts regenerates it. */
export const HELIX_CONTRACT_PATH = path.join(
  repoRoot,
  'test/fixtures/helix-contract/helix-openapi.subset.json',
);

export function loadHelixSpec(file = HELIX_CONTRACT_PATH): HelixSpec {
  return JSON.parse(readFileSync(file, 'utf8')) as HelixSpec;
}

export function specOperation(
  spec: HelixSpec,
  method: string,
  helixPath: string,
): SpecOperation | undefined {
  return spec.paths[helixPath]?.[method.toLowerCase()];
}

/** id.twitch.tv endpoints a Twitch client may call; they are not part of the Helix spec. */
const OAUTH_ENDPOINTS: Record<string, string[]> = {
  'POST /oauth2/token': [
    'client_id',
    'client_secret',
    'grant_type',
    'refresh_token',
    'device_code',
    'scopes',
    'scope',
    'code',
    'redirect_uri',
  ],
  'POST /oauth2/device': ['client_id', 'scopes'],
  'GET /oauth2/validate': [],
  'POST /oauth2/revoke': ['client_id', 'token'],
};

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

function valueProblem(value: string, schema: ParamSchema | undefined): string | undefined {
  if (!schema) return undefined;
  if (schema.enum && !schema.enum.includes(value)) return `not one of ${schema.enum.join('|')}`;
  switch (schema.type) {
    case 'integer':
      return /^-?\d+$/.test(value) ? undefined : 'not an integer';
    case 'number':
      return /^-?\d+(\.\d+)?$/.test(value) ? undefined : 'not a number';
    case 'boolean':
      return value === 'true' || value === 'false' ? undefined : 'not true/false';
  }
  if (schema.format === 'date-time' && !RFC3339.test(value)) return 'not an RFC3339 date-time';
  return undefined;
}

/** What is wrong with one request, judged by the spec (empty when nothing is). */
export function requestProblems(
  spec: HelixSpec,
  entry: SpecJournalEntry,
  opts: { checkRequired?: boolean } = {},
): string[] {
  const label = `${entry.method} ${entry.path}`;
  const names = Object.keys(entry.query);
  if (entry.path.startsWith('/oauth2/')) {
    const allowed = OAUTH_ENDPOINTS[`${entry.method.toUpperCase()} ${entry.path}`];
    if (!allowed) return [`${label}: not a Twitch OAuth endpoint`];
    return names
      .filter((n) => !allowed.includes(n))
      .map((n) => `${label}: unknown parameter "${n}"`);
  }
  if (!entry.path.startsWith('/helix/')) return [`${label}: neither /helix nor /oauth2`];
  const helixPath = entry.path.slice('/helix'.length);
  const op = specOperation(spec, entry.method, helixPath);
  if (!op) return [`${label}: the spec has no ${entry.method.toUpperCase()} ${helixPath}`];

  const problems: string[] = [];
  const params = new Map(
    (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => [p.name, p]),
  );
  for (const name of names) {
    const param = params.get(name);
    if (!param) {
      problems.push(`${label}: unknown query parameter "${name}" (${op.operationId ?? ''})`);
      continue;
    }
    const values = entry.query[name] ?? [];
    const isArray = param.schema?.type === 'array';
    if (!isArray && values.length > 1)
      problems.push(`${label}: "${name}" is repeated but takes one value`);
    const itemSchema = isArray ? param.schema?.items : param.schema;
    for (const v of values) {
      const problem = valueProblem(v, itemSchema);
      if (problem) problems.push(`${label}: "${name}=${v}" ${problem}`);
    }
  }
  if (opts.checkRequired !== false)
    for (const p of params.values())
      if (p.required && !names.includes(p.name))
        problems.push(`${label}: required query parameter "${p.name}" is missing`);
  return problems;
}

/**
 * Throws, listing every problem, unless each journal entry's method, path and query
 * parameters (names, repetition, value types) are ones the Helix spec defines.
 * OAuth entries are checked against id.twitch.tv's endpoints instead.
 */
export function assertRequestsMatchSpec(
  journal: readonly SpecJournalEntry[],
  opts: { spec?: HelixSpec; checkRequired?: boolean } = {},
): void {
  const spec = opts.spec ?? loadHelixSpec();
  const problems = [...new Set(journal.flatMap((e) => requestProblems(spec, e, opts)))];
  if (problems.length > 0)
    throw new Error(`requests the Helix spec does not define:\n  ${problems.join('\n  ')}`);
}

/** Response schemas with additionalProperties: false, so extra fields are caught too. */
function closeObjects(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(closeObjects);
  if (!node || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) out[k] = k === 'example' ? v : closeObjects(v);
  if (out.type === 'object' && out.properties && out.additionalProperties === undefined)
    out.additionalProperties = false;
  return out;
}

/** Builds validators for the spec's JSON response schemas, $refs resolved from components. */
export class HelixResponseValidator {
  private readonly ajv: InstanceType<typeof Ajv>;
  private readonly spec: HelixSpec;

  constructor(spec: HelixSpec, opts: { noExtraFields?: boolean } = {}) {
    this.ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(this.ajv);
    for (const [name, type] of [
      ['int32', 'number'],
      ['int64', 'number'],
      ['float', 'number'],
      ['double', 'number'],
    ] as const)
      this.ajv.addFormat(name, { type, validate: (n: number) => Number.isFinite(n) });
    this.spec = opts.noExtraFields ? (closeObjects(spec) as HelixSpec) : spec;
    this.ajv.addSchema({ components: this.spec.components }, 'helix');
  }

  /** The validator for METHOD path's response with this status; throws if the spec has none. */
  validator(method: string, helixPath: string, status: number): ValidateFunction {
    const op = specOperation(this.spec, method, helixPath);
    const schema = op?.responses[String(status)]?.content?.['application/json']?.schema;
    if (!schema)
      throw new Error(`the spec has no ${status} JSON response for ${method} ${helixPath}`);
    const rewritten = JSON.parse(
      JSON.stringify(schema).replaceAll('"#/components/', '"helix#/components/'),
    ) as object;
    return this.ajv.compile(rewritten);
  }

  /** Human-readable problems of a body (empty when it matches). */
  problems(method: string, helixPath: string, status: number, body: unknown): string[] {
    const validate = this.validator(method, helixPath, status);
    if (validate(body)) return [];
    return (validate.errors ?? []).map(
      (e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`,
    );
  }
}
