import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cutContract, resolvePointer } from '../../scripts/cut-helix-contract.js';
import { HELIX_ROUTE_KEYS } from '../../standins/twitch/helix-router.js';
import { loadHelixSpec } from '../helpers/helix-spec.js';

/** The committed Helix contract is whole, and nothing in the project reads outside the clone. */

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function refsIn(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) for (const item of node) refsIn(item, out);
  else if (node && typeof node === 'object')
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string') out.push(value);
      else refsIn(value, out);
    }
  return out;
}

describe('the committed Helix contract', () => {
  const spec = loadHelixSpec();

  it('holds exactly the operations the stand-in serves', () => {
    const ops = Object.entries(spec.paths).flatMap(([p, item]) =>
      Object.keys(item).map((method) => `${method.toUpperCase()} ${p}`),
    );
    expect(ops.sort()).toEqual([...HELIX_ROUTE_KEYS].sort());
  });

  it('resolves every $ref inside itself', () => {
    const refs = [...new Set(refsIn(spec))];
    expect(refs.length).toBeGreaterThan(5);
    expect(refs.filter((ref) => resolvePointer(spec as never, ref) === undefined)).toEqual([]);
  });
});

describe('cutContract', () => {
  const source = {
    openapi: '3.0.0',
    info: { title: 't' },
    paths: {
      '/a': {
        get: { responses: { 200: { schema: { $ref: '#/components/schemas/A' } } } },
        put: { responses: { 200: { schema: { $ref: '#/components/schemas/Unused' } } } },
      },
      '/b': { get: {} },
    },
    components: {
      schemas: {
        A: { properties: { b: { $ref: '#/components/schemas/B' } } },
        B: { items: { $ref: '#/components/schemas/A' } },
        Unused: {},
      },
    },
  };

  it('keeps the operations asked for and the schemas they reach, cycles included', () => {
    const cut = cutContract(source, ['GET /a']);
    expect(Object.keys(cut.paths as object)).toEqual(['/a']);
    expect(Object.keys((cut.paths as Record<string, object>)['/a'] ?? {})).toEqual(['get']);
    expect(Object.keys((cut.components as { schemas: object }).schemas)).toEqual(['A', 'B']);
  });

  it('names an operation the description lacks, and a $ref it cannot resolve', () => {
    expect(() => cutContract(source, ['POST /a'])).toThrow('no POST /a');
    const broken = { ...source, paths: { '/a': { get: { $ref: '#/components/schemas/Gone' } } } };
    expect(() => cutContract(broken, ['GET /a'])).toThrow(
      'cannot resolve #/components/schemas/Gone',
    );
  });
});

describe('a clone is the whole project', () => {
  // Built from parts so this file does not find itself.
  const outside = new RegExp(['\\.\\.', 'shared'].join('/') + '|' + ['shared', 'twitch'].join('/'));
  const files = (dir: string): string[] =>
    readdirSync(path.join(repoRoot, dir)).flatMap((name) => {
      const rel = path.join(dir, name);
      if (name === 'node_modules' || name === 'results') return [];
      return statSync(path.join(repoRoot, rel)).isDirectory() ? files(rel) : [rel];
    });

  it('nothing in src, commands, test, bench or .ci reads a folder beside the clone', () => {
    const offenders = ['src', 'commands', 'test', 'bench', '.ci']
      .flatMap(files)
      .filter((f) => outside.test(readFileSync(path.join(repoRoot, f), 'utf8')));
    expect(offenders).toEqual([]);
  });
});
