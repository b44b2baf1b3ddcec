import type { ClipRequest, ClipResult } from '../../core/clip.js';
import type { Addressee } from './answer-merge.js';
import { mention } from './format.js';
import { joinedAnotherClip } from './joined-clip.js';

/** A clip's requests per Twitch channel (lowercase, no '#'), in the order they came. */
export function requestsByChannel(requests: ClipRequest[]): Map<string, ClipRequest[]> {
  const groups = new Map<string, ClipRequest[]>();
  for (const req of requests) {
    if (req.replyTo.platform !== 'twitch') continue;
    const channel = req.replyTo.channel.replace(/^#/, '').toLowerCase();
    const list = groups.get(channel) ?? [];
    list.push(req);
    groups.set(channel, list);
  }
  return groups;
}

/** Said before an automatic clip's links: what chat reacted with. */
export function autoClipLead(requests: readonly ClipRequest[]): string {
  const auto = requests.find((r) => r.auto)?.auto;
  if (!auto) return '';
  return auto.token ? `Automatic clip (${auto.token}): ` : 'Automatic clip: ';
}

/**
 * Each requester once, in the order they asked; marked when the clip is not the one they
 * asked for (they joined one already being made).
 */
export function addressees(requests: ClipRequest[], result: ClipResult): Addressee[] {
  const out = new Map<string, Addressee>();
  for (const r of requests) {
    const id = r.requester.userId;
    const parent = r.replyTo.platform === 'twitch' ? r.replyTo.parentMessageId : undefined;
    const joined = joinedAnotherClip(result, r);
    const known = out.get(id);
    if (known) {
      // A repeat asker's later message can still carry the thread the first one lacked.
      if (!known.parentMessageId && parent) known.parentMessageId = parent;
      if (joined) known.joined = true;
      continue;
    }
    // The bot's own automatic request is answered, never named ("@clipbot Clip: ...").
    const person: Addressee = { id, mention: r.auto ? '' : mention(r.requester.displayName) };
    if (parent) person.parentMessageId = parent;
    if (joined) person.joined = true;
    out.set(id, person);
  }
  return [...out.values()];
}
