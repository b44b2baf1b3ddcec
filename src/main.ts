#!/usr/bin/env node
import { Command, InvalidArgumentError, Option } from 'commander';
import { quietDependencyWarnings } from './dependency-warnings.js';

// Before any command loads its dependencies (tmi.js would print DEP0040 on every start).
quietDependencyWarnings();

/**
 * The command line. Each command's module is imported only when it runs, so `--help`
 * stays instant and `demo` does not load what `start` needs.
 */
const program = new Command()
  .name('clipbot')
  .description('Clips live Twitch streams on command, from Twitch chat and Discord.')
  .showHelpAfterError('(add --help for usage)')
  .addHelpText(
    'after',
    `
Examples:
  $ clipbot demo                       try it locally, no credentials needed
  $ clipbot auth                       log the bot account in to Twitch (device code)
  $ clipbot register-commands          publish the Discord slash commands
  $ clipbot start                      run the bot (chat, Discord and worker in one process)
  $ clipbot start --role worker        an extra clip worker sharing the queue
  $ clipbot doctor                     check Redis, tokens and Discord, and say what to fix

Settings come from the environment or a .env file: see .env.example.`,
  );

program
  .command('start')
  .description('Run the bot.')
  .addOption(
    new Option('--role <role>', 'what this process runs')
      .choices(['all', 'bot', 'worker'])
      .default('all'),
  )
  .addHelpText(
    'after',
    `
Roles:
  all     chat connections, Discord, the clip worker and the reply dispatcher (default)
  bot     chat connections, Discord and reply delivery; clips are made by workers
  worker  only makes clips; run as many as you like against the same Redis

Examples:
  $ clipbot start
  $ clipbot start --role bot & clipbot start --role worker`,
  )
  .action(async (opts: { role: 'all' | 'bot' | 'worker' }) => {
    const { runStart } = await import('./cli/start.js');
    await runStart(opts.role);
  });

program
  .command('demo')
  .description('The bot end to end against local stand-ins of Twitch, in your terminal.')
  .option('--script <file>', 'read chat lines from a file instead of the keyboard')
  .option('--visible-after <ms>', 'how long a new clip takes to appear', parseMs, 3000)
  .addHelpText(
    'after',
    `
Type chat lines as a viewer. Prefixes speak as someone else:
  mod: !clipconfig cooldown user 5     as a moderator
  streamer: !clipconfig off            as the broadcaster
Demo controls: /offline, /online, /clips disabled|followers|subscribers|enabled, /slow MS, /never,
/wait, /sleep MS, /help, /quit.
Lines can also come from standard input: echo '!clip' | npm run demo`,
  )
  .action(async (opts: { script?: string; visibleAfter: number }) => {
    const { runDemo } = await import('./cli/demo.js');
    const code = await runDemo({ script: opts.script, visibleAfterMs: opts.visibleAfter });
    process.exit(code);
  });

program
  .command('auth')
  .description('Log the bot account in to Twitch with the device code flow and store its token.')
  .option('--vod-clips', 'also ask for editor:manage:clips (clipping the past from the VOD)')
  .option('--broadcaster', "store the token as a broadcaster's own (for /vod delete)")
  .option('--forget', "remove the bot's stored token from Redis (one that Twitch refuses)")
  .addHelpText(
    'after',
    `
Prints an address and a code; open the address, enter the code as the bot account, and the
tokens are stored in Redis where the bot reads them. A TWITCH_ACCESS_TOKEN is stored there
too on first use and outlives the variable: --forget removes a stored bot token.

Examples:
  $ clipbot auth
  $ clipbot auth --vod-clips
  $ clipbot auth --forget`,
  )
  .action(async (opts: { vodClips?: boolean; broadcaster?: boolean; forget?: boolean }) => {
    const { runAuth } = await import('./cli/auth.js');
    process.exit(await runAuth(opts));
  });

program
  .command('doctor')
  .description('Check Redis, the Twitch tokens and scopes, and Discord; say what is wrong.')
  .addHelpText(
    'after',
    `
Reads the same settings as start (environment or .env) and exits 1 if a check fails.

Examples:
  $ clipbot doctor
  $ REDIS_URL=redis://redis.internal:6379 clipbot doctor`,
  )
  .action(async () => {
    const { runDoctor } = await import('./cli/doctor.js');
    process.exit(await runDoctor());
  });

program
  .command('register-commands')
  .description('Publish the Discord slash commands (globally, or to one server at once).')
  .option(
    '--guild <id>',
    'register in one server only (instant; global takes up to an hour)',
    parseId,
  )
  .addHelpText(
    'after',
    `
Examples:
  $ clipbot register-commands
  $ clipbot register-commands --guild 123456789012345678`,
  )
  .action(async (opts: { guild?: string }) => {
    const { runRegisterCommands } = await import('./cli/register-commands.js');
    process.exit(await runRegisterCommands(opts));
  });

function parseMs(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 600_000) {
    throw new InvalidArgumentError('must be milliseconds, 0 to 600000');
  }
  return n;
}

function parseId(value: string): string {
  if (!/^\d{15,22}$/.test(value)) throw new InvalidArgumentError('must be a Discord server ID');
  return value;
}

await program.parseAsync(process.argv);
