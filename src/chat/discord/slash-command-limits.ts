import type { RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';

/** Discord's limits for chat-input commands (Application Commands reference). */
export const SLASH_LIMITS = {
  commands: 100,
  name: 32,
  description: 100,
  options: 25,
  choices: 25,
  choiceName: 100,
  choiceValue: 100,
  maxLength: 6000,
  totalChars: 4000,
  /** min_value/max_value must lie within ±2^53. */
  numberBound: 2 ** 53,
} as const;

/** Names: 1-32 letters, digits, '-' or '_' (Unicode letters allowed), lower case. */
const NAME = /^[-_\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

/** Definitions Discord would refuse; the message lists every problem with where it is. */
export class SlashCommandDefinitionError extends Error {
  override readonly name = 'SlashCommandDefinitionError';
  constructor(readonly problems: string[]) {
    super(
      `Slash command definitions break Discord's limits (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
        problems.map((p) => `  - ${p}`).join('\n'),
    );
  }
}

type Json = RESTPostAPIChatInputApplicationCommandsJSONBody;
type OptionJson = NonNullable<Json['options']>[number];

function checkName(where: string, name: unknown, problems: string[]): void {
  if (typeof name !== 'string' || name.length < 1 || name.length > SLASH_LIMITS.name) {
    problems.push(
      `${where}: name must be 1-${SLASH_LIMITS.name} characters (got ${typeof name === 'string' ? name.length : typeof name})`,
    );
  } else if (!NAME.test(name)) {
    problems.push(`${where}: name "${name}" may only hold letters, digits, '-' and '_'`);
  } else if (name !== name.toLowerCase()) {
    problems.push(`${where}: name "${name}" must be lower case`);
  }
}

function checkDescription(where: string, d: unknown, problems: string[]): void {
  if (typeof d !== 'string' || d.length < 1 || d.length > SLASH_LIMITS.description) {
    problems.push(
      `${where}: description must be 1-${SLASH_LIMITS.description} characters (got ${typeof d === 'string' ? d.length : 'none'})`,
    );
  }
}

function chars(options: readonly OptionJson[] | undefined): number {
  let n = 0;
  for (const o of options ?? []) {
    n += o.name.length + o.description.length;
    if ('choices' in o && o.choices)
      for (const c of o.choices) n += c.name.length + String(c.value).length;
    if ('options' in o && o.options) n += chars(o.options as OptionJson[]);
  }
  return n;
}

function checkOptions(
  where: string,
  options: readonly OptionJson[] | undefined,
  problems: string[],
): void {
  if (!options) return;
  if (options.length > SLASH_LIMITS.options) {
    problems.push(`${where}: ${options.length} options; Discord allows ${SLASH_LIMITS.options}`);
  }
  const names = new Set<string>();
  let optionalSeen = false;
  for (const o of options) {
    const at = `${where} option "${o.name}"`;
    checkName(at, o.name, problems);
    if (names.has(o.name)) problems.push(`${at}: the name is used twice`);
    names.add(o.name);
    checkDescription(at, o.description, problems);
    if (o.type === 1 || o.type === 2) {
      checkOptions(`${where} ${o.name}`, (o.options ?? []) as OptionJson[], problems);
      continue;
    }
    if (o.required) {
      if (optionalSeen) problems.push(`${at}: a required option must come before optional ones`);
    } else optionalSeen = true;
    const choices = 'choices' in o ? o.choices : undefined;
    if (choices) {
      if (choices.length > SLASH_LIMITS.choices)
        problems.push(`${at}: ${choices.length} choices; Discord allows ${SLASH_LIMITS.choices}`);
      if ('autocomplete' in o && o.autocomplete)
        problems.push(`${at}: autocomplete cannot be combined with choices`);
      for (const c of choices) {
        if (c.name.length < 1 || c.name.length > SLASH_LIMITS.choiceName)
          problems.push(
            `${at}: choice "${c.name}" name must be 1-${SLASH_LIMITS.choiceName} characters`,
          );
        if (typeof c.value === 'string' && c.value.length > SLASH_LIMITS.choiceValue)
          problems.push(
            `${at}: choice "${c.name}" value must be at most ${SLASH_LIMITS.choiceValue} characters`,
          );
        if (o.type === 4 && !Number.isInteger(c.value))
          problems.push(`${at}: choice "${c.name}" must be a whole number`);
        if ((o.type === 4 || o.type === 10) && typeof c.value !== 'number')
          problems.push(`${at}: choice "${c.name}" must be a number`);
      }
    }
    if ('min_value' in o || 'max_value' in o) {
      const min = 'min_value' in o ? o.min_value : undefined;
      const max = 'max_value' in o ? o.max_value : undefined;
      for (const [label, v] of [
        ['min', min],
        ['max', max],
      ] as const) {
        if (v === undefined) continue;
        if (Math.abs(v) > SLASH_LIMITS.numberBound)
          problems.push(`${at}: ${label} must be within ±2^53`);
        if (o.type === 4 && !Number.isInteger(v))
          problems.push(`${at}: ${label} must be a whole number`);
      }
      if (min !== undefined && max !== undefined && min > max)
        problems.push(`${at}: min (${min}) is above max (${max})`);
    }
    if ('max_length' in o && o.max_length !== undefined) {
      if (
        !Number.isInteger(o.max_length) ||
        o.max_length < 1 ||
        o.max_length > SLASH_LIMITS.maxLength
      )
        problems.push(`${at}: maxLength must be 1-${SLASH_LIMITS.maxLength}`);
    }
  }
}

/** Every way the JSON breaks Discord's rules, each naming where. */
export function slashCommandProblems(commands: readonly Json[]): string[] {
  const problems: string[] = [];
  if (commands.length > SLASH_LIMITS.commands) {
    problems.push(`${commands.length} commands; Discord allows ${SLASH_LIMITS.commands}`);
  }
  const names = new Set<string>();
  for (const c of commands) {
    const where = `/${c.name}`;
    checkName(where, c.name, problems);
    if (names.has(c.name)) problems.push(`${where}: defined twice`);
    names.add(c.name);
    checkDescription(where, c.description, problems);
    checkOptions(where, c.options as OptionJson[] | undefined, problems);
    const total =
      c.name.length + c.description.length + chars(c.options as OptionJson[] | undefined);
    if (total > SLASH_LIMITS.totalChars) {
      problems.push(
        `${where}: names, descriptions and choices add up to ${total} characters; Discord allows ${SLASH_LIMITS.totalChars}`,
      );
    }
  }
  return problems;
}
