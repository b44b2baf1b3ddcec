/**
 * Cuts the Helix contract the tests use (test/fixtures/helix-contract/) out of the full
 * OpenAPI description of Twitch Helix: the operations the Twitch stand-in serves (the bot's
 * Helix client calls a subset of them), and every component schema they reach through $ref.
 *
 *   npx tsx scripts/cut-helix-contract.ts <path/to/helix-openapi.json> [output.json]
 *
 * Run by hand when the description or the endpoints change; tests only read the output.
 * See test/fixtures/helix-contract/README.md for where the description comes from.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { format } from 'prettier';
import { HELIX_ROUTE_KEYS } from '../standins/twitch/helix-router.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const DEFAULT_OUTPUT = path.join(
  repoRoot,
  'test/fixtures/helix-contract/helix-openapi.subset.json',
);

function isObject(node: Json | undefined): node is JsonObject {
  return !!node && typeof node === 'object' && !Array.isArray(node);
}

/** Every "$ref" string found anywhere under node. */
function refsIn(node: Json, out = new Set<string>()): Set<string> {
  if (Array.isArray(node)) for (const item of node) refsIn(item, out);
  else if (isObject(node))
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string') out.add(value);
      else refsIn(value, out);
    }
  return out;
}

/** The node a local "#/a/b" pointer names (JSON Pointer escapes included), or undefined. */
export function resolvePointer(doc: Json, ref: string): Json | undefined {
  if (!ref.startsWith('#/')) return undefined;
  let node: Json | undefined = doc;
  for (const raw of ref.slice(2).split('/')) {
    const key = decodeURIComponent(raw).replaceAll('~1', '/').replaceAll('~0', '~');
    node = isObject(node) ? node[key] : undefined;
    if (node === undefined) return undefined;
  }
  return node;
}

/** The subset of spec holding the given "METHOD /path" operations and what they reference. */
export function cutContract(spec: JsonObject, operations: readonly string[]): JsonObject {
  const sourcePaths = spec.paths;
  if (!isObject(sourcePaths)) throw new Error('the description has no paths');
  const paths: JsonObject = {};
  for (const key of operations) {
    const [method = '', helixPath = ''] = key.split(' ');
    const item = sourcePaths[helixPath];
    const op = isObject(item) ? item[method.toLowerCase()] : undefined;
    if (!isObject(item) || !op) throw new Error(`the description has no ${key}`);
    const kept = (paths[helixPath] ??= {}) as JsonObject;
    // Path-level entries (shared parameters, summary) belong to every operation of the path.
    for (const [k, v] of Object.entries(item))
      if (!['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'trace'].includes(k))
        kept[k] = v;
    kept[method.toLowerCase()] = op;
  }

  // Copy each referenced component, then whatever it references, until nothing new appears.
  const components: JsonObject = {};
  const pending = [...refsIn(paths)];
  const seen = new Set<string>();
  while (pending.length > 0) {
    const ref = pending.pop() as string;
    if (seen.has(ref)) continue;
    seen.add(ref);
    const match = /^#\/components\/([^/]+)\/([^/]+)$/.exec(ref);
    const target = resolvePointer(spec, ref);
    if (!match || target === undefined) throw new Error(`cannot resolve ${ref}`);
    const [, section = '', name = ''] = match;
    ((components[section] ??= {}) as JsonObject)[name] = target;
    pending.push(...refsIn(target));
  }
  const sourceComponents = isObject(spec.components) ? spec.components : {};
  // Operations name security schemes without $ref; keep them so `security` entries resolve.
  if (sourceComponents.securitySchemes)
    components.securitySchemes = sourceComponents.securitySchemes;
  for (const section of Object.values(components)) if (isObject(section)) sortKeys(section);

  const { openapi, info, servers } = spec;
  return {
    openapi: openapi ?? '3.0.0',
    info: {
      ...(isObject(info) ? info : {}),
      'x-subset':
        'Only the operations clipbot uses, cut by scripts/cut-helix-contract.ts; see README.md beside this file.',
    },
    ...(servers ? { servers } : {}),
    paths,
    components,
  };
}

function sortKeys(obj: JsonObject): void {
  const entries = Object.entries(obj).sort(([a], [b]) => a.localeCompare(b));
  for (const [k] of entries) delete obj[k];
  for (const [k, v] of entries) obj[k] = v;
}

async function main(): Promise<void> {
  const [source, output = DEFAULT_OUTPUT] = process.argv.slice(2);
  if (!source) {
    console.error('usage: npx tsx scripts/cut-helix-contract.ts <helix-openapi.json> [output]');
    process.exit(2);
  }
  const spec = JSON.parse(readFileSync(source, 'utf8')) as JsonObject;
  const subset = cutContract(spec, HELIX_ROUTE_KEYS);
  const text = await format(JSON.stringify(subset), { parser: 'json', printWidth: 100 });
  writeFileSync(output, text);
  const schemas = isObject(subset.components) ? subset.components.schemas : undefined;
  console.log(
    `${output}: ${HELIX_ROUTE_KEYS.length} operations, ${isObject(schemas) ? Object.keys(schemas).length : 0} schemas`,
  );
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url))
  await main();
