import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
// Resolved here: the child runs in a directory of its own, where 'tsx' would not resolve.
const tsx = import.meta.resolve('tsx');

export interface CliRun {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
  /** Resolves when stdout matches. */
  waitForStdout(re: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /**
   * The exit code, or a failure naming what the process printed when it is still running
   * after `boundMs` (it is killed then): for commands that must never hang.
   */
  exitsWithin(boundMs: number): Promise<number | null>;
}

/**
 * Runs `clipbot <args>` as its own process (node --import tsx src/main.ts), with exactly
 * the environment given (plus PATH), in a working directory without a .env file.
 */
export function runCli(args: string[], env: Record<string, string>, cwd = root): CliRun {
  const child = spawn(process.execPath, ['--import', tsx, `${root}/src/main.ts`, ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    async exitsWithin(boundMs) {
      let timer: NodeJS.Timeout | undefined;
      const hung = new Promise<'hung'>(
        (resolve) => (timer = setTimeout(() => resolve('hung'), boundMs)),
      );
      const result = await Promise.race([exited, hung]);
      clearTimeout(timer);
      if (result === 'hung') {
        child.kill('SIGKILL');
        throw new Error(`still running after ${boundMs} ms:\n${out}\n${err}`);
      }
      return result;
    },
    waitForStdout(re, timeoutMs = 60_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const m = out.match(re);
          if (m) {
            cleanup();
            resolve(m);
          }
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`stdout never matched ${re}: ${out}\n${err}`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          child.stdout?.off('data', check);
        };
        child.stdout?.on('data', check);
        check();
      });
    },
  };
}

/**
 * `clipbot start --role <role>` processes against a world's stand-ins under one key prefix,
 * polling fast so a drill is short; each is killed (SIGKILL) by the cleanups it joins.
 */
export function roleStarter(
  world: { env(extra: Record<string, string>): Record<string, string> },
  redis: { url: string; prefix: string },
  cleanups: (() => unknown)[],
): (role: string) => CliRun {
  const env = world.env({
    REDIS_URL: redis.url,
    REDIS_KEY_PREFIX: redis.prefix,
    LOG_FORMAT: 'json',
    LOG_LEVEL: 'info',
    CLIP_FIRST_POLL_MS: '200',
    CLIP_POLL_INTERVAL_MS: '200',
    SHUTDOWN_GRACE_S: '1',
  });
  return (role) => {
    const run = runCli(['start', '--role', role], env);
    cleanups.push(() => run.child.kill('SIGKILL'));
    return run;
  };
}
