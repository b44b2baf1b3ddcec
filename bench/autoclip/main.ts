/** `npx tsx bench/autoclip/main.ts [--quick] [--sensitivity=low|normal|high]`: the detection part alone. */
import { runAutoclipBench } from './run-autoclip.js';
import { renderAutoclipTable } from './table.js';
import type { AutoClipSensitivity } from '../../src/autoclip/types.js';

const quick = process.argv.includes('--quick');
const sens = (process.argv.find((a) => a.startsWith('--sensitivity='))?.split('=')[1] ??
  'normal') as AutoClipSensitivity;
const r = runAutoclipBench({
  seed: 20_240_601,
  sensitivity: sens,
  ...(quick ? { streamsPer: 1, episodes: 3, costMessages: 100_000 } : {}),
});
process.stdout.write(`${renderAutoclipTable(r)}\n`);
