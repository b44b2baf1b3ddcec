import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONFIG_KEYS, loadConfig } from '../../src/config.js';

describe('.env.example', () => {
  const text = readFileSync(new URL('../../.env.example', import.meta.url), 'utf8');
  const documented = new Set(
    [...text.matchAll(/^([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1] as string),
  );

  it('documents every setting the config reads', () => {
    const keys: string[] = CONFIG_KEYS;
    const missing = keys.filter((k) => !documented.has(k));
    expect(missing).toEqual([]);
  });

  it('holds only settings the config knows, and its values load cleanly', () => {
    const keys = new Set<string>(CONFIG_KEYS);
    expect([...documented].filter((k) => !keys.has(k))).toEqual([]);
    const env: Record<string, string> = {};
    for (const m of text.matchAll(/^([A-Z][A-Z0-9_]+)=(.*)$/gm)) env[m[1] as string] = m[2] ?? '';
    expect(() => loadConfig(env)).not.toThrow();
  });
});
