/**
 * The detection part as a section of `npm run bench`: in-process (no bot, no Redis), so it
 * also runs alone: `npm run bench -- autoclip` (or `--only=autoclip`).
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { AutoClipSensitivity } from '../../src/autoclip/types.js';
import { runAutoclipBench, type AutoclipReport } from './run-autoclip.js';
import { renderAutoclipTable } from './table.js';

export function wantsAutoclipOnly(argv: readonly string[]): boolean {
  return argv.includes('autoclip') || argv.includes('--only=autoclip');
}

export async function runAutoclipSection(opts: {
  seed: number;
  quick: boolean;
  resultsDir: string;
  argv: readonly string[];
}): Promise<AutoclipReport> {
  const sensitivity = (opts.argv
    .find((a) => a.startsWith('--sensitivity='))
    ?.slice('--sensitivity='.length) ?? 'normal') as AutoClipSensitivity;
  const report = runAutoclipBench({
    seed: opts.seed,
    sensitivity,
    ...(opts.quick ? { streamsPer: 1, episodes: 3, costMessages: 100_000 } : {}),
  });
  await writeFile(
    path.join(opts.resultsDir, opts.quick ? 'autoclip-quick.json' : 'autoclip.json'),
    JSON.stringify(report, null, 2),
  );
  process.stdout.write(`\n${renderAutoclipTable(report)}\n`);
  return report;
}
