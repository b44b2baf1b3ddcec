import type { Logger } from 'pino';
import {
  UserError,
  type CommandDefinition,
  type CommandServices,
  type IncomingCommand,
} from '../core/command.js';
import { ChatCommandIndex, availableOn, resolveChat } from '../core/chat-syntax.js';
import { hasPermission, permissionFor } from '../core/permissions.js';
import { isRedisUnavailable } from '../redis/connection.js';
import { answerFailure, type FailureAnswers } from './answer-failure.js';
import type { MessageClaims } from './message-claims.js';
import { TROUBLE_TEXT, TroubleNotices, type TroubleNoticeOptions } from './trouble-notice.js';
import {
  CALL_GATES,
  commandContext,
  giveBack,
  platformGate,
  type GateCall,
  type GateState,
  type GateWindows,
  type Gate,
  type Target,
} from './gates/index.js';

export interface RouterMetrics {
  commands: { inc(labels: { platform: string; command: string }): void };
}

export interface CommandRouterOptions {
  commands: CommandDefinition[];
  services: Omit<CommandServices, 'commands'> | CommandServices;
  log: Logger;
  metrics?: RouterMetrics;
  /**
   * Twitch: once a user was told a command is refused to them (permission, clipping off),
   * they are not told again for this long, so repeating the command cannot flood chat.
   */
  refusalNoticeS?: number;
  /** Twitch: the same mistake by the same viewer is answered once in this many seconds. */
  repeatedErrorS?: number;
  /**
   * Twitch: an informational command (CommandDefinition.informational) with the same
   * arguments is answered once per channel in this many seconds; repeats are ignored.
   * Default 30 (Twitch's own window for identical messages); 0 turns it off.
   */
  repeatAnswerS?: number;
  /** While Redis is unreachable: the "having trouble" answer's window (trouble-notice.ts). */
  troubleNotice?: TroubleNoticeOptions;
  /**
   * Exactly-once handling when several processes read the same chats (message-claims.ts):
   * a message another process claimed is dropped in silence. Unset: every message is ours.
   */
  claims?: MessageClaims;
}

export { GENERIC_FAILURE } from './answer-failure.js';

export const COMMAND_ROUTER_DEFAULTS = {
  refusalNoticeS: 30,
  repeatAnswerS: 30,
  repeatedErrorS: 10,
} as const satisfies Partial<CommandRouterOptions>;

/**
 * Runs every command from every platform through the same gates (./gates), in this order:
 * known command, available on this platform, then CALL_GATES: the Twitch channel and the
 * command's channel policy there, enabled in this channel, permission (on every call), the
 * arguments (syntax, then the command's own validate()), the repeat mark of an
 * informational answer and the cooldowns (taken together); then the command. A UserError
 * becomes the answer; anything else is logged and gets a short generic answer.
 */
export class CommandRouter {
  private readonly services: CommandServices;
  private readonly byName: Map<string, CommandDefinition>;
  private readonly chatIndex: ChatCommandIndex;
  private readonly log: Logger;
  private readonly metrics: RouterMetrics | undefined;
  private readonly windows: GateWindows;
  private readonly failures: FailureAnswers;
  private readonly trouble: TroubleNotices;
  private readonly claims: MessageClaims | undefined;
  /** Logged once per outage, not once per command: a chat flood must not flood the log. */
  private redisDown = false;

  constructor(opts: CommandRouterOptions) {
    this.byName = new Map(opts.commands.map((c) => [c.name, c]));
    this.services = { ...opts.services, commands: this.byName };
    this.chatIndex = new ChatCommandIndex(opts.commands);
    this.log = opts.log;
    this.metrics = opts.metrics;
    this.windows = {
      refusalNoticeS: opts.refusalNoticeS ?? COMMAND_ROUTER_DEFAULTS.refusalNoticeS,
      repeatAnswerS: opts.repeatAnswerS ?? COMMAND_ROUTER_DEFAULTS.repeatAnswerS,
    };
    this.failures = {
      cooldowns: this.services.cooldowns,
      log: this.log,
      repeatedErrorS: opts.repeatedErrorS ?? COMMAND_ROUTER_DEFAULTS.repeatedErrorS,
    };
    this.trouble = new TroubleNotices(opts.troubleNotice);
    this.claims = opts.claims;
  }

  async handle(input: IncomingCommand): Promise<void> {
    let command = '(unknown)';
    try {
      const target = this.find(input);
      // Twitch chat is full of other bots' !commands: only ours are claimed (and answered).
      if (!target && input.platform === 'twitch') return;
      // Before any gate, so a gate's answer (a cooldown, a refusal) is given once, by the
      // process that won the message.
      if (!(await this.claim(input))) return;
      if (!target) {
        await input.reply('Unknown command.');
        return;
      }
      command = target.def.name;
      const call: GateCall = { input, target, services: this.services, windows: this.windows };
      const state: GateState = { holds: [] };
      if (!(await this.pass(call, state, [platformGate]))) return;
      this.metrics?.commands.inc({ platform: input.platform, command });
      if (!(await this.pass(call, state, CALL_GATES))) return;
      await this.execute(target, state);
      this.redisDown = false;
    } catch (err) {
      if (isRedisUnavailable(err)) await this.answerTrouble(input, command, err);
      else await answerFailure(input, command, err, this.failures);
    }
  }

  /**
   * True when this process handles the message (MessageClaims). Discord's handler claims
   * before acknowledging (two processes must not both acknowledge); the router's second
   * claim of the same message by the same process wins again.
   */
  claim(input: Pick<IncomingCommand, 'requestId'>): Promise<boolean> {
    return this.claims ? this.claims.claim(input.requestId) : Promise.resolve(true);
  }

  /**
   * Redis is unreachable: the command cannot run, and nothing it would store can be. The
   * answer goes straight to the chat adapter (the reply streams live in Redis too), once per
   * Twitch channel per window (TroubleNotices, in memory).
   */
  private async answerTrouble(
    input: IncomingCommand,
    command: string,
    err: unknown,
  ): Promise<void> {
    if (!this.redisDown) {
      this.redisDown = true;
      this.log.warn(
        { command, platform: input.platform, err: { message: (err as Error).message } },
        'Redis unreachable: commands get the "having trouble" answer',
      );
    }
    if (!this.trouble.shouldAnswer(input)) return;
    try {
      await input.reply(TROUBLE_TEXT);
    } catch (replyErr) {
      this.log.warn({ err: replyErr, command }, 'could not answer a command');
    }
  }

  /** Discord autocomplete: the command's own suggestions, for callers allowed to run it. */
  async autocomplete(
    input: IncomingCommand,
    focused: { name: string; value: string },
  ): Promise<{ name: string; value: string }[]> {
    const target = this.find(input);
    if (!target?.def.autocomplete || !availableOn(target.def, input.platform)) return [];
    const required = permissionFor(target.def, target.sub, input.platform);
    if (!hasPermission(input.user, required)) return [];
    try {
      const options = input.structured?.options ?? {};
      const ctx = commandContext(input, target, this.services, options, input.twitchChannel);
      const choices = await target.def.autocomplete(ctx, focused);
      return choices.slice(0, 25);
    } catch (err) {
      this.log.warn({ err, command: target.def.name }, 'autocomplete failed');
      return [];
    }
  }

  private find(input: IncomingCommand): Target | undefined {
    if (input.structured) {
      const def = this.byName.get(input.structured.command.toLowerCase());
      if (!def) return undefined;
      const name = input.structured.subcommand?.toLowerCase();
      const sub = name ? def.subcommands?.find((s) => s.name === name) : undefined;
      return sub ? { def, sub } : { def };
    }
    if (input.chatText === undefined) return undefined;
    return resolveChat(input.chatText, this.chatIndex, input.platform);
  }

  /** Runs the gates in order; false (after the refusing gate's notice, if any) at a refusal. */
  private async pass(call: GateCall, state: GateState, gates: readonly Gate[]): Promise<boolean> {
    for (const gate of gates) {
      const verdict = await gate(call, state);
      if (verdict.pass) continue;
      const { input } = call;
      const notice = verdict.notice;
      // Discord always answers (the interaction waits); Twitch chat once per window.
      const quiet =
        !notice ||
        (input.platform === 'twitch' &&
          !(await this.services.cooldowns.shouldNotify(notice.key, notice.seconds)));
      if (!quiet) await input.reply(notice.text);
      return false;
    }
    return true;
  }

  private async execute(target: Target, state: GateState): Promise<void> {
    if (!state.ctx) throw new Error('the arguments gate did not run');
    try {
      await target.def.execute(state.ctx);
    } catch (err) {
      await giveBack(
        state,
        err instanceof UserError ? 'refusal' : 'failure',
        this.services.cooldowns,
        this.log,
      );
      throw err;
    }
  }
}
