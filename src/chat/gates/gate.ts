import type {
  ChannelTerms,
  CommandContext,
  CommandDefinition,
  CommandServices,
  CooldownHold,
  IncomingCommand,
  SubcommandDefinition,
} from '../../core/command.js';
import type { CooldownTicket, TwitchChannelRef } from '../../core/stores.js';

/**
 * The gates' one contract: each gate looks at the call (and what the gates before it
 * found), and passes it on or refuses it with at most one notice. A UserError thrown by a
 * gate is the answer, as from the command.
 */
export type Gate = (call: GateCall, state: GateState) => Promise<GateVerdict>;

export type GateVerdict = { pass: true } | { pass: false; notice?: Notice };

/** What a refused asker is told: always on Discord, once per `seconds` under `key` on Twitch. */
export interface Notice {
  key: string;
  seconds: number;
  text: string;
}

/** Where the call is, once the command is known. */
export interface Target {
  def: CommandDefinition;
  sub?: SubcommandDefinition;
  /** Twitch: the text after the command (and subcommand) word. */
  args?: string;
  viaDefault?: boolean;
}

/** The router's windows, in seconds (CommandRouterOptions). */
export interface GateWindows {
  refusalNoticeS: number;
  repeatAnswerS: number;
}

export interface GateCall {
  readonly input: IncomingCommand;
  readonly target: Target;
  readonly services: CommandServices;
  readonly windows: GateWindows;
}

/** What the gates found, in their order; the command runs with `ctx`. */
export interface GateState {
  twitchChannel?: TwitchChannelRef;
  /** The command's channel policy's answer for this call, when it declares one. */
  terms?: ChannelTerms;
  ctx?: CommandContext;
  /** Cooldowns to take, all together, before the command runs (the cooldown gate). */
  holds: CooldownHold[];
  /** What the cooldown gate took, to give back if the command fails (CooldownHold.giveBackOn). */
  taken?: CooldownTicket;
}

export const PASS: GateVerdict = { pass: true };

/** A refusal: always answered on Discord (the interaction waits), once per window on Twitch. */
export function refusal(call: GateCall, kind: string, text: string): GateVerdict {
  const { input } = call;
  const where = input.twitchChannel?.id ?? input.guildId ?? 'direct';
  const key = `refused:${kind}:${where}:${input.platform}:${input.user.id}`;
  return { pass: false, notice: { key, seconds: call.windows.refusalNoticeS, text } };
}

/** "!clips" in Twitch chat, "/clips top" on Discord. */
export function commandName(call: GateCall, sub?: SubcommandDefinition): string {
  const { input, target, services } = call;
  const lead = input.platform === 'twitch' ? services.config.CHAT_COMMAND_PREFIX : '/';
  return `${lead}${target.def.name}${sub ? ` ${sub.name}` : ''}`;
}
