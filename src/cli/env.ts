import { existsSync } from 'node:fs';
import { config as loadDotenv } from 'dotenv';
import { ConfigError, loadConfig, type Config, type LoadConfigOptions } from '../config.js';

/**
 * Reads .env (when present; real environment variables win) and validates the result.
 * A ConfigError is printed as its one message and the process exits 1: no stack trace,
 * and no value (so no secret) ever appears.
 */
export function configFromEnvironment(envFile = '.env', opts: LoadConfigOptions = {}): Config {
  if (existsSync(envFile)) loadDotenv({ path: envFile, quiet: true });
  try {
    return loadConfig(process.env, opts);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
}
