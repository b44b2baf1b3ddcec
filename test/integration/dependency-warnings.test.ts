import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * In a real Node process: a deprecation a dependency triggers (DEP0040, tmi.js's punycode)
 * does not reach stderr once src/main.ts has installed the filter; the same code from our
 * own files, and any other warning, still does.
 */

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dir = mkdtempSync(path.join(tmpdir(), 'clipbot-warnings-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const dependency = path.join(dir, 'node_modules', 'old-dep');
mkdirSync(dependency, { recursive: true });
writeFileSync(
  path.join(dependency, 'index.js'),
  `process.emitWarning('dep punycode', 'DeprecationWarning', 'DEP0040');
process.emitWarning('dep other', { type: 'DeprecationWarning', code: 'DEP0999' });
`,
);
const script = path.join(dir, 'main.mjs');
writeFileSync(
  script,
  `import { createRequire } from 'node:module';
const { quietDependencyWarnings } = await import(${JSON.stringify(
    pathToFileURL(path.join(repoRoot, 'src/dependency-warnings.ts')).href,
  )});
if (process.argv[2] === 'quiet') quietDependencyWarnings();
createRequire(import.meta.url)('old-dep');
process.emitWarning('own punycode', 'DeprecationWarning', 'DEP0040');
setTimeout(() => undefined, 20);
`,
);

async function stderrOf(mode: string): Promise<string> {
  const { stderr } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', script, mode],
    { cwd: repoRoot, env: { ...process.env, NODE_OPTIONS: '' } },
  );
  return stderr;
}

describe('dependency deprecation warnings', () => {
  it('print without the filter (so the test can see them)', async () => {
    const stderr = await stderrOf('plain');
    expect(stderr).toContain('[DEP0040] DeprecationWarning: dep punycode');
  });

  it("are kept off stderr with it; our own and other codes' warnings still print", async () => {
    const stderr = await stderrOf('quiet');
    expect(stderr).not.toContain('dep punycode');
    expect(stderr).toContain('[DEP0040] DeprecationWarning: own punycode');
    expect(stderr).toContain('[DEP0999] DeprecationWarning: dep other');
  });
});
