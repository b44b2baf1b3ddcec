import { App, StartupError, type Role } from '../app/app.js';
import { DiscordLoginError } from '../chat/discord/login-error.js';
import { createLogger } from '../logger.js';
import { RedisServerMissingError, RedisStartError } from '../redis/embedded-redis.js';
import { configFromEnvironment } from './env.js';

/** Errors whose message is the whole story for the operator: printed without a stack. */
export function isOperatorError(err: unknown): err is Error {
  return (
    err instanceof StartupError ||
    err instanceof RedisServerMissingError ||
    err instanceof RedisStartError ||
    err instanceof DiscordLoginError
  );
}

export async function runStart(role: Role): Promise<void> {
  const config = configFromEnvironment('.env', {
    required: [
      {
        key: 'TWITCH_CLIENT_ID',
        why: 'clipbot needs a Twitch application (see README, "Going live"; `npm run demo` needs none)',
      },
    ],
  });
  const log = createLogger({ level: config.LOG_LEVEL, format: config.LOG_FORMAT });
  const app = new App({ config, role, log });

  // A stray rejection in a library callback must not take the bot down mid-stream.
  process.on('unhandledRejection', (err) => log.error({ err }, 'unhandled rejection'));

  let firstSignalAt = 0;
  const shutdown = (signal: NodeJS.Signals) => {
    // Under npm or tsx one Ctrl-C or group SIGTERM arrives twice (directly and relayed):
    // only a signal well after the first means "stop now".
    if (firstSignalAt > 0 && Date.now() - firstSignalAt < 1000) return;
    if (firstSignalAt > 0) {
      log.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    firstSignalAt = Date.now();
    log.info({ signal }, 'shutting down: finishing active clips');
    app.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);

  try {
    await app.start();
  } catch (err) {
    if (isOperatorError(err)) {
      process.stderr.write(`clipbot could not start: ${err.message}\n`);
    } else {
      log.fatal({ err }, 'clipbot could not start');
    }
    process.exit(1);
  }
}
