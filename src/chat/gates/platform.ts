import { availableOn } from '../../core/chat-syntax.js';
import { PASS, type Gate } from './gate.js';

/** The command (and subcommand) exists on this platform. */
export const platformGate: Gate = async ({ input, target }) => {
  const { def, sub } = target;
  if (availableOn(def, input.platform) && (!sub || availableOn(sub, input.platform))) return PASS;
  // Twitch chat is full of other bots' !commands: only Discord, where it was offered, hears why.
  if (input.platform !== 'discord') return { pass: false };
  const text = `/${def.name} is not available on Discord.`;
  return { pass: false, notice: { key: `unavailable:${def.name}`, seconds: 0, text } };
};
