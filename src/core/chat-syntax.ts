import {
  UserError,
  type CommandDefinition,
  type CommandOption,
  type OptionValue,
  type SubcommandDefinition,
} from './command.js';
import type { Platform } from './clip.js';

/** Twitch's own limit for one chat message; nothing longer is worth reading. */
export const MAX_CHAT_TEXT = 500;

// Controls (C0, DEL, C1) and invisible characters that only serve to hide or reorder text:
// chat clients append U+E0000 or U+034F to dodge Twitch's duplicate-message check.
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u001f\u007f-\u009f]/g;
const INVISIBLE =
  /[\u034f\u200b\u200c\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]|[\u{e0000}-\u{e007f}]/gu;

/**
 * User text made safe to parse and to echo: controls become spaces (so "a\tb" stays two
 * words), invisible characters go, runs of spaces collapse, and the result is capped at
 * `maxLength` characters (whole code points).
 */
export function cleanText(text: string, maxLength = MAX_CHAT_TEXT): string {
  // Cut before the regexes run, so a huge line costs no more than a normal one.
  const head = text.length > maxLength * 4 ? text.slice(0, maxLength * 4) : text;
  const cleaned = head.replace(CONTROLS, ' ').replace(INVISIBLE, '').replace(/\s+/g, ' ').trim();
  if (cleaned.length <= maxLength) return cleaned;
  return Array.from(cleaned).slice(0, maxLength).join('').trim();
}

export interface ParsedCommand {
  command: string;
  subcommand?: string;
  options: Record<string, OptionValue | undefined>;
}

/** What a chat word names: a command, or one subcommand of it (a subcommand alias). */
interface ChatEntry {
  def: CommandDefinition;
  sub?: SubcommandDefinition;
}

export function availableOn(item: { platforms?: Platform[] }, platform: Platform): boolean {
  return !item.platforms || item.platforms.includes(platform);
}

/** Chat words -> commands, aliases included. Built once from the definitions. */
export class ChatCommandIndex {
  private readonly entries = new Map<string, ChatEntry>();

  constructor(defs: Iterable<CommandDefinition>) {
    for (const def of defs) {
      this.entries.set(def.name.toLowerCase(), { def });
    }
    // Aliases never shadow a real command name.
    for (const def of defs) {
      for (const alias of def.chatAliases ?? []) this.addAlias(alias, { def });
      for (const sub of def.subcommands ?? []) {
        for (const alias of sub.chatAliases ?? []) this.addAlias(alias, { def, sub });
      }
    }
  }

  private addAlias(alias: string, entry: ChatEntry): void {
    const key = alias.toLowerCase();
    if (!this.entries.has(key)) this.entries.set(key, entry);
  }

  get(word: string): ChatEntry | undefined {
    return this.entries.get(word.toLowerCase());
  }
}

/**
 * A chat line after the prefix, resolved to its command and (where it can tell) its
 * subcommand. Options are parsed separately (parseChatOptions) so the router can check
 * permission before it reports a usage mistake to someone who may not use the command.
 */
export interface ResolvedChat {
  def: CommandDefinition;
  /** Undefined for a command with subcommands when the words name none of them. */
  sub?: SubcommandDefinition;
  /** The text after the command word (and after the subcommand word when one was given). */
  args: string;
  /** The subcommand is the command's chat default, not a word the user typed. */
  viaDefault?: boolean;
}

/** Undefined when the line does not start with a known command word. */
export function resolveChat(
  text: string,
  index: ChatCommandIndex,
  platform: Platform = 'twitch',
): ResolvedChat | undefined {
  const line = cleanText(text);
  const m = /^(\S+)\s*(.*)$/.exec(line);
  if (!m?.[1]) return undefined;
  const entry = index.get(m[1]);
  if (!entry) return undefined;
  const args = m[2] ?? '';
  const { def } = entry;
  if (entry.sub) return { def, sub: entry.sub, args };
  if (!def.subcommands?.length) return { def, args };

  const first = /^(\S+)\s*(.*)$/.exec(args);
  const named = first?.[1]
    ? def.subcommands.find((s) => s.name === first[1]?.toLowerCase() && availableOn(s, platform))
    : undefined;
  if (named) return { def, sub: named, args: first?.[2] ?? '' };
  const fallback = def.subcommands.find((s) => s.name === def.chatDefaultSubcommand);
  return fallback ? { def, sub: fallback, args, viaDefault: true } : { def, args };
}

/** The options a platform sees, in order. */
export function optionsFor(
  def: CommandDefinition,
  sub: SubcommandDefinition | undefined,
  platform: Platform,
): CommandOption[] {
  return ((sub ? sub.options : def.options) ?? []).filter((o) => availableOn(o, platform));
}

/** "!clipconfig cooldown <channel|user> <seconds>", derived from the definition. */
export function usageLine(
  def: CommandDefinition,
  sub: SubcommandDefinition | undefined,
  platform: Platform,
  prefix: string,
): string {
  const parts = [`${prefix}${def.name}`];
  if (!sub && def.subcommands?.length) {
    const names = def.subcommands.filter((s) => availableOn(s, platform)).map((s) => s.name);
    parts.push(def.chatDefaultSubcommand ? `[${names.join('|')}]` : `<${names.join('|')}>`);
    return parts.join(' ');
  }
  if (sub) parts.push(sub.name);
  for (const o of optionsFor(def, sub, platform)) {
    const label = o.choices?.length ? o.choices.map((c) => c.name).join('|') : o.name;
    parts.push(o.required ? `<${label}>` : `[${label}]`);
  }
  return parts.join(' ');
}

const INTEGER = /^[+-]?\d{1,9}s?$/i;
const NUMBER = /^[+-]?(?:\d{1,9}(?:\.\d{1,6})?|\.\d{1,6})s?$/i;
const TRUE_WORDS = ['on', 'true', 'yes', 'enable', 'enabled'];
const FALSE_WORDS = ['off', 'false', 'no', 'disable', 'disabled'];

/** A choice by its name or value, forgiving a plural/singular slip and abbreviations. */
function matchChoice(option: CommandOption, token: string): string | number | undefined {
  const t = token.toLowerCase();
  const forms = [t, `${t}s`, t.endsWith('s') ? t.slice(0, -1) : t];
  for (const form of forms) {
    const hit = option.choices?.find(
      (c) => c.name.toLowerCase() === form || String(c.value).toLowerCase() === form,
    );
    if (hit) return hit.value;
  }
  // An unambiguous start of a choice ("subs", "mod") is as good as the whole word.
  if (t.length < 3) return undefined;
  const starts = new Set(
    (option.choices ?? [])
      .filter(
        (c) => c.name.toLowerCase().startsWith(t) || String(c.value).toLowerCase().startsWith(t),
      )
      .map((c) => c.value),
  );
  return starts.size === 1 ? [...starts][0] : undefined;
}

function checkRange(option: CommandOption, n: number): number {
  const { min, max } = option;
  if ((min !== undefined && n < min) || (max !== undefined && n > max)) {
    const range =
      min !== undefined && max !== undefined
        ? `between ${min} and ${max}`
        : min !== undefined
          ? `at least ${min}`
          : `at most ${max}`;
    throw new UserError(`${option.name} must be ${range}.`);
  }
  return n;
}

function checkString(option: CommandOption, s: string): string {
  if (option.maxLength !== undefined && s.length > option.maxLength) {
    throw new UserError(`${option.name} is too long (at most ${option.maxLength} characters).`);
  }
  return s;
}

/**
 * Converts one chat token for an option. Undefined means "not this option's token", which
 * skips an optional option and fails a required one.
 */
function convertToken(option: CommandOption, token: string): OptionValue | undefined {
  if (option.chatPattern && !option.chatPattern.test(token)) return undefined;
  switch (option.type) {
    case 'integer':
      return INTEGER.test(token) ? checkRange(option, parseInt(token, 10)) : undefined;
    case 'number':
      return NUMBER.test(token) ? checkRange(option, parseFloat(token)) : undefined;
    case 'boolean': {
      const t = token.toLowerCase();
      if (TRUE_WORDS.includes(t)) return true;
      if (FALSE_WORDS.includes(t)) return false;
      return undefined;
    }
    case 'string': {
      if (!option.choices?.length) return checkString(option, token);
      const choice = matchChoice(option, token);
      if (choice === undefined) {
        throw new UserError(
          `${option.name} must be one of ${option.choices.map((c) => c.name).join(', ')}.`,
        );
      }
      return choice;
    }
  }
}

/**
 * Positional chat options: each option in order takes the next word if the word suits it;
 * an optional option whose word does not suit is skipped; a `rest` string takes the rest of
 * the line. Anything left over, or a required option missing, is a usage mistake.
 */
export function parseChatOptions(
  options: CommandOption[],
  args: string,
  usage: string,
): Record<string, OptionValue | undefined> {
  const text = cleanText(args);
  const tokens = [...text.matchAll(/\S+/g)].map((m) => ({ word: m[0], at: m.index }));
  const values: Record<string, OptionValue | undefined> = {};
  let i = 0;
  for (const option of options) {
    const token = tokens[i];
    if (option.rest && option.type === 'string' && token) {
      values[option.name] = checkString(option, text.slice(token.at).trim());
      i = tokens.length;
      break;
    }
    const value = token ? convertToken(option, token.word) : undefined;
    if (value === undefined) {
      if (option.required) {
        throw new UserError(
          token ? `Usage: ${usage}` : `Usage: ${usage} (${option.name} is missing)`,
        );
      }
      continue;
    }
    values[option.name] = value;
    i += 1;
  }
  if (i < tokens.length) throw new UserError(`Usage: ${usage}`);
  return values;
}

/**
 * Options as Discord sent them, held to the same rules as chat: types, choices, ranges,
 * lengths, and user text cleaned. Options the definition does not know are dropped.
 */
export function validateStructuredOptions(
  options: CommandOption[],
  given: Record<string, OptionValue | undefined>,
  usage: string,
): Record<string, OptionValue | undefined> {
  const values: Record<string, OptionValue | undefined> = {};
  for (const option of options) {
    const raw = given[option.name];
    if (raw === undefined || raw === null || raw === '') {
      if (option.required) throw new UserError(`Usage: ${usage} (${option.name} is missing)`);
      continue;
    }
    let value: OptionValue | undefined;
    switch (option.type) {
      case 'integer':
      case 'number': {
        const n = typeof raw === 'number' ? raw : Number(String(raw).trim());
        if (!Number.isFinite(n) || (option.type === 'integer' && !Number.isInteger(n))) {
          throw new UserError(
            `${option.name} must be a ${option.type === 'integer' ? 'whole ' : ''}number.`,
          );
        }
        value = checkRange(option, n);
        break;
      }
      case 'boolean':
        value = typeof raw === 'boolean' ? raw : TRUE_WORDS.includes(String(raw).toLowerCase());
        break;
      case 'string': {
        const s = cleanText(String(raw), option.maxLength ?? MAX_CHAT_TEXT * 4);
        if (option.choices?.length) {
          const choice = matchChoice(option, s);
          if (choice === undefined) {
            throw new UserError(
              `${option.name} must be one of ${option.choices.map((c) => c.name).join(', ')}.`,
            );
          }
          value = choice;
        } else {
          value = s === '' ? undefined : checkString(option, s);
        }
        break;
      }
    }
    if (value !== undefined) values[option.name] = value;
  }
  return values;
}

/**
 * The whole chat parse in one call (for tests and tools): undefined for an unknown
 * command word, UserError with a short usage line for a mistake.
 */
export function parseChatCommand(
  text: string,
  index: ChatCommandIndex,
  prefix = '!',
  platform: Platform = 'twitch',
): ParsedCommand | undefined {
  const resolved = resolveChat(text, index, platform);
  if (!resolved) return undefined;
  return {
    command: resolved.def.name,
    ...(resolved.sub ? { subcommand: resolved.sub.name } : {}),
    options: parseResolved(resolved, prefix, platform),
  };
}

/** Options of an already resolved line; a missing subcommand is a usage mistake here. */
export function parseResolved(
  resolved: ResolvedChat,
  prefix: string,
  platform: Platform = 'twitch',
): Record<string, OptionValue | undefined> {
  const { def, sub, args } = resolved;
  const options = optionsFor(def, sub, platform);
  // "!clipconfig bogus": the words fit neither a subcommand nor the default one.
  const strayWords = resolved.viaDefault && options.length === 0 && args.trim() !== '';
  if ((def.subcommands?.length && !sub) || strayWords) {
    throw new UserError(`Usage: ${usageLine(def, undefined, platform, prefix)}`);
  }
  return parseChatOptions(options, args, usageLine(def, sub, platform, prefix));
}
