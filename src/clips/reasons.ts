import type { ClipOutcome, FailureReason, WaitReason } from '../core/clip.js';

/** What a viewer is told for each failure: short, plain, and saying what to do where we can. */
export const FAILURE_TEXT: Record<FailureReason, string> = {
  offline: 'the channel is offline, so there is nothing to clip right now.',
  clips_disabled:
    'clips are turned off for this channel (the streamer can enable them in Creator Dashboard > Settings > Stream).',
  clips_restricted:
    'this channel only lets followers or subscribers clip, and the bot account is not allowed.',
  banned: 'the bot account is banned or timed out in this channel.',
  not_clippable: 'the current category cannot be clipped.',
  unknown_channel: 'Twitch does not know this channel.',
  unauthorized:
    "the bot's Twitch authorization was lost; the bot's operator needs to run 'clipbot auth' again.",
  rate_limited: 'Twitch is rate-limiting the bot right now; try again in a minute.',
  clip_rate_limited:
    "Twitch's limit on how many clips the bot may create is used up, so clip creation is paused; try again in a few minutes.",
  twitch_refused: 'Twitch refused to make the clip.',
  twitch_unavailable: 'Twitch did not answer; try again in a moment.',
  internal: 'something went wrong on our side; it has been logged.',
  no_vod:
    'this stream has no VOD to clip from (the streamer may have turned off storing past broadcasts).',
  before_stream: 'that moment is before the start of the stream, so it cannot be clipped.',
  vod_not_ready: 'the VOD does not reach that moment yet; try again in a minute.',
  vod_scope_missing:
    "clipping the past needs the bot's Twitch authorization to include editor:manage:clips; the bot's operator can run 'clipbot auth --vod-clips'.",
  vod_not_editor:
    "the bot account is not one of this channel's editors, so it cannot clip the VOD (the streamer can add it in Creator Dashboard > Settings > Roles).",
  uncertain: "Twitch did not confirm the clip; it may still appear in the channel's clips.",
  too_late: "the bot couldn't clip that moment in time.",
};

/** The "on its way" notice, per reason the wait is known. */
export const WAIT_TEXT: Record<WaitReason, string> = {
  rate_limited: 'Twitch is rate-limiting the bot right now; your clip is on its way.',
  twitch_slow: 'Twitch is slow right now; your clip is on its way.',
  recovering: 'The bot is catching up after a restart; your clip is on its way.',
};

/** Twitch chat's answer for 'too_late': the VOD link is the point of it. */
export function tooLateText(vodLink: string | undefined): string {
  return vodLink
    ? `Couldn't clip that moment in time; here it is in the VOD: ${vodLink}`
    : "Couldn't clip that moment in time, and this stream keeps no VOD to find it in.";
}

export const TITLE_DROPPED_TEXT =
  "Twitch's AutoMod rejected the title, so the clip has the default title.";

/** A failed outcome's answer, with Twitch's own words or the pause's length where known. */
export function failureText(outcome: Extract<ClipOutcome, { status: 'failed' }>): string {
  if (outcome.reason === 'twitch_refused' && outcome.twitchText) {
    return `Twitch refused to make the clip and said: "${outcome.twitchText}"`;
  }
  if (outcome.reason === 'clip_rate_limited' && outcome.retryAfterS !== undefined) {
    return `Twitch's limit on how many clips the bot may create is used up, so clip creation is paused for about ${humanWait(outcome.retryAfterS)}; try again then.`;
  }
  return FAILURE_TEXT[outcome.reason];
}

function humanWait(s: number): string {
  if (s < 90) return `${Math.max(1, Math.round(s))} seconds`;
  return `${Math.round(s / 60)} minutes`;
}
