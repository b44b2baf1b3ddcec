import { errors } from './http-util.js';

/**
 * The application-command checks Discord applies to PUT/POST of commands (the subset that
 * catches real mistakes): names, lengths, counts, option order and nesting.
 */
const NAME = /^[-_\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;
const SUBCOMMAND = 1;
const SUBCOMMAND_GROUP = 2;

type Json = Record<string, unknown>;

export function validateCommands(raw: unknown): Json[] {
  if (!Array.isArray(raw)) throw errors.invalidForm({ _root: 'Must be an array of commands' });
  const problems: Record<string, string> = {};
  if (raw.length > 100) problems._root = 'Must be 100 or fewer in length.';
  const seen = new Set<string>();
  raw.forEach((cmd: unknown, i) => {
    checkCommand(cmd, `${i}`, problems);
    const c = cmd as Json;
    const key = `${String(c.type ?? 1)}:${String(c.name)}`;
    if (seen.has(key)) problems[`${i}.name`] = 'Application command names must be unique';
    seen.add(key);
  });
  if (Object.keys(problems).length > 0) throw errors.invalidForm(problems);
  return raw as Json[];
}

export function validateCommand(raw: unknown): Json {
  const problems: Record<string, string> = {};
  checkCommand(raw, '', problems);
  if (Object.keys(problems).length > 0) throw errors.invalidForm(problems);
  return raw as Json;
}

function checkCommand(raw: unknown, path: string, problems: Record<string, string>): void {
  const at = (p: string) => (path ? `${path}.${p}` : p);
  if (typeof raw !== 'object' || raw === null) {
    problems[path || '_root'] = 'Must be an object';
    return;
  }
  const c = raw as Json;
  const type = c.type ?? 1;
  if (typeof c.name !== 'string' || !NAME.test(c.name)) {
    problems[at('name')] = 'Command name is invalid';
  } else if (type === 1 && c.name !== c.name.toLowerCase()) {
    problems[at('name')] = 'Command name must be lower case';
  }
  if (type === 1) checkDescription(c.description, at('description'), problems);
  checkOptions(c.options, at('options'), problems, 0);
  let total = String(c.name ?? '').length + String(c.description ?? '').length;
  total += countChars(c.options);
  if (total > 4000) problems[path || '_root'] = 'Command exceeds maximum size (4000)';
}

function countChars(options: unknown): number {
  if (!Array.isArray(options)) return 0;
  let n = 0;
  for (const o of options as Json[]) {
    n += String(o.name ?? '').length + String(o.description ?? '').length;
    for (const ch of (o.choices as Json[] | undefined) ?? [])
      n += String(ch.name ?? '').length + String(ch.value ?? '').length;
    n += countChars(o.options);
  }
  return n;
}

function checkDescription(v: unknown, path: string, problems: Record<string, string>): void {
  if (typeof v !== 'string' || v.length < 1 || v.length > 100)
    problems[path] = 'Must be between 1 and 100 in length.';
}

function checkOptions(
  raw: unknown,
  path: string,
  problems: Record<string, string>,
  depth: number,
): void {
  if (raw === undefined || raw === null) return;
  if (!Array.isArray(raw)) {
    problems[path] = 'Must be an array';
    return;
  }
  const options = raw as Json[];
  if (options.length > 25) problems[path] = 'Must be 25 or fewer in length.';
  const subs = options.filter((o) => o.type === SUBCOMMAND || o.type === SUBCOMMAND_GROUP);
  if (subs.length > 0 && subs.length !== options.length)
    problems[path] =
      'Sub-command and sub-command group option types are mutually exclusive to all other types';
  let sawOptional = false;
  const names = new Set<string>();
  options.forEach((o, i) => {
    const p = `${path}.${i}`;
    if (typeof o.name !== 'string' || !NAME.test(o.name) || o.name !== o.name.toLowerCase())
      problems[`${p}.name`] = 'Option name is invalid';
    else if (names.has(o.name)) problems[`${p}.name`] = 'Option names must be unique';
    else names.add(o.name);
    checkDescription(o.description, `${p}.description`, problems);
    const type = o.type;
    if (typeof type !== 'number' || type < 1 || type > 11) {
      problems[`${p}.type`] = 'Value is not a valid option type';
      return;
    }
    if (type === SUBCOMMAND || type === SUBCOMMAND_GROUP) {
      if (depth >= (type === SUBCOMMAND ? 2 : 1))
        problems[`${p}.type`] = 'Sub-commands nested too deep';
      checkOptions(o.options, `${p}.options`, problems, depth + 1);
      return;
    }
    if (o.required === true && sawOptional)
      problems[`${p}.required`] = 'Required options must be placed before non-required options';
    if (o.required !== true) sawOptional = true;
    const choices = o.choices as Json[] | undefined;
    if (choices !== undefined) {
      if (!Array.isArray(choices) || choices.length > 25)
        problems[`${p}.choices`] = 'Must be 25 or fewer in length.';
      if (o.autocomplete === true)
        problems[`${p}.autocomplete`] = 'Autocomplete cannot be set with choices';
      (Array.isArray(choices) ? choices : []).forEach((ch, j) => {
        if (typeof ch.name !== 'string' || ch.name.length < 1 || ch.name.length > 100)
          problems[`${p}.choices.${j}.name`] = 'Must be between 1 and 100 in length.';
        if (typeof ch.value === 'string' && ch.value.length > 100)
          problems[`${p}.choices.${j}.value`] = 'Must be 100 or fewer in length.';
      });
    }
    if (
      o.max_length !== undefined &&
      (typeof o.max_length !== 'number' || o.max_length < 1 || o.max_length > 6000)
    )
      problems[`${p}.max_length`] = 'Must be between 1 and 6000.';
    if (
      typeof o.min_value === 'number' &&
      typeof o.max_value === 'number' &&
      o.min_value > o.max_value
    )
      problems[`${p}.min_value`] = 'min_value must be less than or equal to max_value';
  });
}
