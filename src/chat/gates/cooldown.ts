import type { Logger } from 'pino';
import type { CooldownHold } from '../../core/command.js';
import { bypassesCooldowns } from '../../core/permissions.js';
import type { CooldownStore } from '../../core/stores.js';
import { PASS, commandName, type Gate, type GateCall, type GateState } from './gate.js';

/**
 * Takes the call's cooldowns: the channel policy's (e.g. the clip settings' user and
 * channel cooldowns) or else the command's own per-user one, after the holds of the gates
 * before (the repeat mark). All in one atomic step, both or neither: a call refused by the
 * channel's cooldown keeps the asker's own, a repeat ignored in silence spends none of the
 * asker's, and a call refused by the asker's cooldown does not silence the channel.
 * Moderators and the broadcaster are never held back.
 */
export const cooldownGate: Gate = async (call, state) => {
  if (bypassesCooldowns(call.input.user)) return PASS;
  const holds = [...state.holds, ...(state.terms?.cooldowns ?? commandCooldown(call, state))];
  if (holds.length === 0) return PASS;
  const took = await call.services.cooldowns.tryTakeAll(holds.map((h) => h.claim));
  if (took.ok) {
    state.holds = holds;
    state.taken = took.ticket;
    return PASS;
  }
  const notice = holds.find((h) => h.claim.key === took.key)?.notice;
  if (!notice) return { pass: false };
  const text = notice.text(Math.ceil(took.retryAfterS));
  return { pass: false, notice: { key: notice.key, seconds: took.retryAfterS, text } };
};

/** A subcommand's own cooldown is its alone; else the command's, shared by all its forms. */
function commandCooldown(call: GateCall, state: GateState): CooldownHold[] {
  const { input, target } = call;
  const own = target.sub?.cooldown !== undefined ? target.sub : undefined;
  const seconds = own ? own.cooldown : target.def.cooldown;
  if (seconds === undefined || seconds <= 0) return [];
  const scope = state.twitchChannel?.id ?? input.guildId ?? 'direct';
  const who = `${input.platform}:${input.user.id}`;
  const key = `cmd:${target.def.name}${own ? `.${own.name}` : ''}:${scope}:${who}`;
  const named = commandName(call, target.viaDefault ? undefined : own);
  const text = (wait: number) => `Wait ${wait}s before using ${named} again.`;
  return [{ claim: { key, seconds }, notice: { key: `${key}:notice`, text } }];
}

/**
 * Gives back what the cooldown gate took for a command that then failed `how`: a clip
 * refused by the command (a UserError) made no clip, so it holds no one back; an
 * informational answer that failed otherwise was not given, so the next ask is heard.
 */
export async function giveBack(
  state: GateState,
  how: 'refusal' | 'failure',
  cooldowns: Pick<CooldownStore, 'release'>,
  log: Logger,
): Promise<void> {
  const keys = new Set(state.holds.filter((h) => h.giveBackOn === how).map((h) => h.claim.key));
  const taken = state.taken?.taken.filter((t) => keys.has(t.key)) ?? [];
  if (taken.length === 0) return;
  await cooldowns
    .release({ taken })
    .catch((err: unknown) => log.warn({ err }, 'could not release cooldowns'));
}
