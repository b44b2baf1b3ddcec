import { copyFile, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import ts from 'typescript';

/**
 * Transpiles src/, commands/ and bench/ to JavaScript under `outDir`, file by file (no type
 * check), so the bot under test runs as plain `node` on compiled code, as the Docker image
 * does: under tsx the loader and its transformed sources would add tens of MB to the
 * resident memory being measured. outDir must sit inside the project so that node_modules
 * resolves.
 */
export async function buildForBench(root: string, outDir: string): Promise<void> {
  await rm(outDir, { recursive: true, force: true });
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    verbatimModuleSyntax: true,
    esModuleInterop: true,
    sourceMap: false,
  };
  for (const dir of ['src', 'commands', 'bench']) {
    for (const file of await tsFiles(path.join(root, dir))) {
      const rel = path.relative(root, file);
      if (rel.startsWith(path.join('bench', 'results'))) continue;
      const out = ts.transpileModule(await readFile(file, 'utf8'), {
        compilerOptions: options,
        fileName: file,
      });
      const target = path.join(outDir, rel.replace(/\.ts$/, '.js'));
      await mkdir(path.dirname(target), { recursive: true });
      await writeFile(target, out.outputText);
    }
  }
  // The Lua scripts are read beside the compiled code (as `npm run build` copies them).
  for (const file of await filesEnding(path.join(root, 'src'), '.lua')) {
    const target = path.join(outDir, path.relative(root, file));
    await mkdir(path.dirname(target), { recursive: true });
    await copyFile(file, target);
  }
  // ESM, like the project's package.json says.
  await writeFile(path.join(outDir, 'package.json'), '{ "type": "module" }\n');
}

async function tsFiles(dir: string): Promise<string[]> {
  return (await filesEnding(dir, '.ts')).filter((f) => !f.endsWith('.d.ts'));
}

async function filesEnding(dir: string, ending: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await filesEnding(full, ending)));
    else if (entry.name.endsWith(ending)) out.push(full);
  }
  return out;
}
