import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';

/**
 * A Lua script from lua/<name>.lua (one file per script; `npm run build` copies them next to
 * the compiled code), run by EVALSHA, falling back to EVAL when the server does not know it
 * (first use, or after a Redis restart emptied the script cache). EVAL also caches it, so
 * the next EVALSHA finds it.
 */
export class RedisScript {
  readonly sha: string;
  readonly source: string;

  constructor(readonly name: string) {
    this.source = readFileSync(scriptPath(name), 'utf8');
    this.sha = createHash('sha1').update(this.source).digest('hex');
  }

  async run(redis: Redis, keys: string[], args: (string | number)[] = []): Promise<unknown> {
    try {
      return await redis.evalsha(this.sha, keys.length, ...keys, ...args);
    } catch (err) {
      if (err instanceof Error && err.message.includes('NOSCRIPT')) {
        return redis.eval(this.source, keys.length, ...keys, ...args);
      }
      throw err;
    }
  }
}

/** Where a script's file is: beside this module in src (tsx) and in dist (the build copies it). */
export function scriptPath(name: string): URL {
  return new URL(`./lua/${name}.lua`, import.meta.url);
}

const loaded = new Map<string, RedisScript>();

/** The script of that name, read once per process: a missing file fails at startup. */
export function script(name: string): RedisScript {
  let s = loaded.get(name);
  if (!s) {
    s = new RedisScript(name);
    loaded.set(name, s);
  }
  return s;
}
