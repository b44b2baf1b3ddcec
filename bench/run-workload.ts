import type { BotMessage } from '../standins/chat/index.js';
import type { LocalWorld } from '../standins/local-world.js';
import type { ClipCreatedEvent, ClipVisibleEvent, JournalEntry } from '../standins/twitch/index.js';
import { clipIdOf, isClipAnswer, requestersOf } from './answers.js';
import type { BotProcess, BotEvents } from './bot-handle.js';
import { peakInWindow, ratio, summarize, type Summary } from './stats.js';
import { sleep } from './world.js';
import type { ChatEvent, Workload } from './workloads.js';

export interface WorkloadResult {
  name: string;
  description: string;
  /** `!clip` lines sent. */
  requests: number;
  /** Requesters the bot's answers named (or counted as "+N others"). */
  answered: number;
  /** Clips Twitch (the stand-in) created. */
  clips: number;
  /** Answers that linked a visible clip / that did not. */
  clipAnswers: number;
  otherAnswers: number;
  durationMs: number;
  timedOut: boolean;
  helix: {
    total: number;
    byEndpoint: Record<string, number>;
    status429: number;
    /** Get Streams by user id (live checks) and by login (the live table's refresh). */
    liveChecks: number;
    refresh: number;
    /** Most calls in any 60 s (Twitch allows about 800 points a minute per token). */
    peakPerMinute: number;
  };
  perRequest?: number;
  perClip?: number;
  /** The bot kept a live table (batched mode): its refresh is counted at its steady rate. */
  liveTable?: boolean;
  /** Clip visible at the stand-in -> first answer linking it received by the chat stand-in. */
  visibleToAnswerMs: Summary;
  /** Requests answered from a clip already finished (asked after it was visible): request -> answer. */
  lateRequestToAnswerMs: Summary;
  /** Chat line sent -> BullMQ job started (processedOn), per job. */
  messageToJobStartMs: Summary;
}

/**
 * Plays a workload's chat lines against the bot on schedule and measures, from the
 * stand-ins' side, what the bot asked of Twitch and how fast it answered. Ends when every
 * request is answered (or at `timeoutMs`), plus a short grace for trailing calls.
 */
export async function runWorkload(
  world: LocalWorld,
  bot: BotProcess,
  workload: Workload,
  opts: { timeoutMs: number; graceMs?: number },
): Promise<WorkloadResult> {
  const sentAt = new Map<string, number>();
  const sentByLogin = new Map<string, number>();
  const helixCalls: JournalEntry[] = [];
  const created = new Map<string, ClipCreatedEvent>();
  const visible = new Map<string, number>();
  const firstAnswer = new Map<string, number>();
  const late: number[] = [];
  const jobStarts: number[] = [];
  let answered = 0;
  let clipAnswers = 0;
  let otherAnswers = 0;
  const requests = workload.events.filter((e) => e.kind === 'clip').length;

  const onRequest = (e: JournalEntry): void => {
    if (!e.path.startsWith('/oauth2')) helixCalls.push(e);
  };
  const onCreated = (e: ClipCreatedEvent): void => void created.set(e.id, e);
  const onVisible = (e: ClipVisibleEvent): void => void visible.set(e.id, e.at);
  const onMessage = (m: BotMessage): void => {
    const { names, others } = requestersOf(m.text);
    if (names.length === 0) return; // not an answer to a request (e.g. a refusal elsewhere)
    answered += names.length + others;
    const clipId = clipIdOf(m.text);
    if (isClipAnswer(m.text)) clipAnswers++;
    else otherAnswers++;
    if (!clipId) return;
    if (!firstAnswer.has(clipId)) {
      firstAnswer.set(clipId, m.at);
      return;
    }
    // Another answer linking a clip already announced: a request that came after it.
    const asked = sentByLogin.get(names[0]!);
    if (asked !== undefined) late.push(m.at - asked);
  };
  const onJob: (...a: BotEvents['job-active']) => void = (j) => {
    const asked = sentAt.get(j.requestId);
    if (asked !== undefined) jobStarts.push(j.processedOn - asked);
  };
  world.twitch.events.on('request', onRequest);
  world.twitch.events.on('clip-created', onCreated);
  world.twitch.events.on('clip-visible', onVisible);
  world.chat.events.on('bot-message', onMessage);
  bot.events.on('job-active', onJob);

  const started = Date.now();
  let timedOut = false;
  try {
    await play(workload.events, started, (e) => {
      const id = world.chat.say(e.channel, { login: e.login, text: e.text });
      if (e.kind === 'clip') {
        const now = Date.now();
        sentAt.set(id, now);
        sentByLogin.set(e.login, now);
      }
    });
    for (;;) {
      const allVisibleAnswered = [...created.keys()].every(
        (id) => !visible.has(id) || firstAnswer.has(id),
      );
      if (answered >= requests && allVisibleAnswered) break;
      if (Date.now() - started > opts.timeoutMs) {
        timedOut = true;
        break;
      }
      await sleep(50);
    }
    const done = Date.now();
    await sleep(opts.graceMs ?? 1_000);

    // The moment Get Clips started returning each clip, from the stand-in's own record
    // (the event can only be later, when the benchmark's event loop was busy).
    const recorded = new Map(world.twitch.createdClips().map((c) => [c.id, c.visibleAt]));
    const visibleToAnswer: number[] = [];
    for (const [clipId, answerAt] of firstAnswer) {
      const at = recorded.get(clipId) ?? visible.get(clipId);
      if (at !== null && at !== undefined && created.has(clipId))
        visibleToAnswer.push(answerAt - at);
    }
    const byEndpoint: Record<string, number> = {};
    for (const c of helixCalls) {
      const key = `${c.method} ${c.path.replace(/^\/helix/, '')}`;
      byEndpoint[key] = (byEndpoint[key] ?? 0) + 1;
    }
    const total = helixCalls.length;
    return {
      name: workload.name,
      description: workload.description,
      requests,
      answered,
      clips: created.size,
      clipAnswers,
      otherAnswers,
      durationMs: done - started,
      timedOut,
      helix: {
        total,
        byEndpoint,
        status429: helixCalls.filter((c) => c.status === 429).length,
        liveChecks: helixCalls.filter((c) => c.path === '/helix/streams' && c.query.user_id).length,
        refresh: helixCalls.filter((c) => c.path === '/helix/streams' && c.query.user_login).length,
        peakPerMinute: peakInWindow(
          helixCalls.map((c) => c.at),
          60_000,
        ),
      },
      perRequest: ratio(total, requests),
      perClip: ratio(total, created.size),
      visibleToAnswerMs: summarize(visibleToAnswer),
      lateRequestToAnswerMs: summarize(late),
      messageToJobStartMs: summarize(jobStarts),
    };
  } finally {
    world.twitch.events.off('request', onRequest);
    world.twitch.events.off('clip-created', onCreated);
    world.twitch.events.off('clip-visible', onVisible);
    world.chat.events.off('bot-message', onMessage);
    bot.events.off('job-active', onJob);
  }
}

/** Sends each line when its time comes (lines due together go in one turn). */
async function play(
  events: readonly ChatEvent[],
  started: number,
  send: (e: ChatEvent) => void,
): Promise<void> {
  let i = 0;
  while (i < events.length) {
    const now = Date.now() - started;
    while (i < events.length && events[i]!.at <= now) send(events[i++]!);
    const next = events[i];
    if (next) await sleep(Math.max(1, Math.min(next.at - now, 20)));
  }
}
