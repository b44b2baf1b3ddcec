import { allCommands } from '../../commands/index.js';
import { registerCommands } from '../chat/discord/index.js';
import { configFromEnvironment } from './env.js';

/** Publishes the slash commands; a separate step so start-up never rewrites them. */
export async function runRegisterCommands(opts: { guild?: string }): Promise<number> {
  const config = configFromEnvironment();
  if (!config.DISCORD_TOKEN || !config.DISCORD_APPLICATION_ID) {
    process.stderr.write(
      'DISCORD_TOKEN and DISCORD_APPLICATION_ID are needed to register slash commands (see .env.example).\n',
    );
    return 1;
  }
  try {
    const count = await registerCommands({
      token: config.DISCORD_TOKEN,
      applicationId: config.DISCORD_APPLICATION_ID,
      apiUrl: config.DISCORD_API_URL,
      guildId: opts.guild,
      defs: allCommands(),
    });
    const where = opts.guild
      ? `in server ${opts.guild}`
      : 'globally (may take up to an hour to show)';
    process.stdout.write(`Registered ${count} slash commands ${where}.\n`);
    return 0;
  } catch (err) {
    process.stderr.write(`Could not register the slash commands: ${(err as Error).message}\n`);
    return 1;
  }
}
