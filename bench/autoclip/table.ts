/** The detection part's table, as `npm run bench` prints it. */
import type { AutoclipReport } from './run-autoclip.js';

const pct = (v: number | undefined) => (v === undefined ? '-' : v.toFixed(2));
const sec = (ms: number | undefined) => (ms === undefined ? '-' : `${(ms / 1000).toFixed(1)} s`);

export const AUTOCLIP_GOALS = { precision: 0.9, recall: 0.9, medianDelayMs: 5000 } as const;

/** The goals: precision and recall per kind, median delay. */
export function autoclipGoalsMet(r: AutoclipReport): boolean {
  return r.moments.every(
    (m) =>
      (m.precision ?? 0) >= AUTOCLIP_GOALS.precision &&
      (m.recall ?? 0) >= AUTOCLIP_GOALS.recall &&
      (m.medianDelayMs ?? Infinity) < AUTOCLIP_GOALS.medianDelayMs,
  );
}

export function renderAutoclipTable(r: AutoclipReport): string {
  const rows = [
    `Automatic clips: detection (sensitivity ${r.sensitivity}, ${r.lines.toLocaleString('en')} generated lines)`,
    '',
    '| moment       | moments | found | false fires | precision | recall | delay median | delay p95 | signal that fired |',
    '| ------------ | ------- | ----- | ----------- | --------- | ------ | ------------ | --------- | ----------------- |',
    ...r.moments.map((m) => {
      const fired = Object.entries(r.firedKinds[m.kind] ?? {})
        .sort((a, b) => b[1] - a[1])
        .map(([k, n]) => `${k} ${n}`)
        .join(', ');
      return `| ${m.kind} | ${m.moments} | ${m.found} | ${m.falseFires} | ${pct(m.precision)} | ${pct(m.recall)} | ${sec(m.medianDelayMs)} | ${sec(m.p95DelayMs)} | ${fired} |`;
    }),
    '',
    '| look-alike      | episodes | chat hours | fires (goal 0) |',
    '| --------------- | -------- | ---------- | -------------- |',
    ...r.lookAlikes.map(
      (l) => `| ${l.kind} | ${l.episodes || '-'} | ${l.chatHours.toFixed(1)} | ${l.falseFires} |`,
    ),
    '',
    `cost per message (${r.cost.messages.toLocaleString('en')} messages of a 50/s chat): ` +
      `${r.cost.oneChannelNsPerMsg.toFixed(0)} ns in one channel, ` +
      `${r.cost.thousandChannelsNsPerMsg.toFixed(0)} ns spread over 1,000 channels, ` +
      `${r.cost.offNsPerMsg.toFixed(0)} ns where auto is off`,
    `look-alikes: ${r.lookAlikes.reduce((n, l) => n + l.falseFires, 0)} fires in ${r.lookAlikes
      .reduce((h, l) => h + l.chatHours, 0)
      .toFixed(1)} hours of their streams (any fire there counts, also in the background chat)`,
    `goals (precision and recall >= 0.9 per kind, median delay < 5 s): ${autoclipGoalsMet(r) ? 'met' : 'NOT met'}`,
  ];
  return rows.join('\n');
}
