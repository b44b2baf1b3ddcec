import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { script, scriptPath } from '../../src/redis/scripts.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const luaDir = join(root, 'src/redis/lua');

/** Every script('name') call under src/, read from the sources. */
function referencedScripts(dir = join(root, 'src')): string[] {
  const names: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) names.push(...referencedScripts(path));
    else if (entry.name.endsWith('.ts')) {
      for (const m of readFileSync(path, 'utf8').matchAll(/\bscript\('([\w-]+)'\)/g)) {
        names.push(m[1]!);
      }
    }
  }
  return names;
}

describe('Lua scripts', () => {
  const files = readdirSync(luaDir).filter((f) => f.endsWith('.lua'));

  it('every script the code names has its file, and every file is used', () => {
    const referenced = new Set(referencedScripts());
    expect(referenced.size).toBeGreaterThan(10);
    expect([...referenced].sort()).toEqual(files.map((f) => f.replace(/\.lua$/, '')).sort());
    for (const name of referenced) expect(script(name).source.length).toBeGreaterThan(0);
  });

  it('no Lua is left inside TypeScript strings', () => {
    const offenders: string[] = [];
    const walk = (dir: string): void => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) walk(path);
        else if (entry.name.endsWith('.ts') && readFileSync(path, 'utf8').includes('redis.call('))
          offenders.push(path);
      }
    };
    for (const dir of ['src', 'standins', 'commands']) walk(join(root, dir));
    expect(offenders).toEqual([]);
  });

  it('the build copies them where the compiled loader reads them', () => {
    const out = mkdtempSync(join(tmpdir(), 'clipbot-lua-'));
    try {
      execFileSync(process.execPath, [join(root, 'scripts/copy-lua.mjs')], {
        cwd: root,
        env: { ...process.env, CLIPBOT_DIST: out },
      });
      for (const f of files) expect(existsSync(join(out, 'src/redis/lua', f))).toBe(true);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
    // In dist, scripts.js sits at dist/src/redis/ like scripts.ts at src/redis/.
    expect(fileURLToPath(scriptPath('x'))).toBe(join(luaDir, 'x.lua'));
  });
});
