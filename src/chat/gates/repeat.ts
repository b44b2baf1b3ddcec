import { createHash } from 'node:crypto';
import { bypassesCooldowns } from '../../core/permissions.js';
import { PASS, type Gate, type GateCall, type GateState } from './gate.js';

/**
 * An informational answer in Twitch chat is given once per channel per window: the call
 * holds the channel's mark of it (taken by the cooldown gate, first and with the asker's
 * cooldown), and a repeat within the window is ignored in silence. An answer that then
 * fails was no answer: its mark is given back, so the next viewer to ask is heard.
 */
export const repeatGate: Gate = async (call, state) => {
  const key = answeredKey(call, state);
  if (key && !bypassesCooldowns(call.input.user)) {
    state.holds.push({
      claim: { key, seconds: call.windows.repeatAnswerS },
      giveBackOn: 'failure',
    });
  }
  return PASS;
};

/**
 * The mark: the command, its subcommand and its parsed options (so `!clips week` and
 * `!clips top weeks` are one). None where every call is answered: Discord (each interaction
 * waits for its answer), other commands, or with the window off.
 */
function answeredKey({ input, target, windows }: GateCall, state: GateState): string | undefined {
  const channel = state.twitchChannel;
  const informational = target.sub?.informational ?? target.def.informational;
  if (input.platform !== 'twitch' || !channel || !informational || windows.repeatAnswerS <= 0) {
    return undefined;
  }
  const args = Object.entries(state.ctx?.options ?? {})
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const digest = createHash('sha256').update(JSON.stringify(args)).digest('base64url').slice(0, 22);
  return `answered:${channel.id}:${target.def.name}:${target.sub?.name ?? ''}:${digest}`;
}
