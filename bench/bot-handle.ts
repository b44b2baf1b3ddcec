import { fork, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { openSync, closeSync } from 'node:fs';
import type { ChildOptions, FromChild, MemorySample, Probe, ToChild } from './protocol.js';

export interface BotEvents {
  'job-active': [Extract<FromChild, { type: 'job-active' }>];
  marker: [Extract<FromChild, { type: 'marker' }>];
}

/**
 * The bot under test, seen from the benchmark: a child process running the compiled
 * bench/bot-process.js with plain node, and an IPC channel. Its log goes to `logFile`.
 */
export class BotProcess {
  readonly events = new EventEmitter<BotEvents>();
  private nextId = 1;
  private readonly waiting = new Map<number, (s: MemorySample) => void>();
  private readonly probes = new Map<number, (value: number) => void>();
  private exited: Promise<void>;

  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
  ) {
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    child.on('message', (raw) => {
      const msg = raw as FromChild;
      if (msg.type === 'job-active') this.events.emit('job-active', msg);
      else if (msg.type === 'marker') this.events.emit('marker', msg);
      else if (msg.type === 'memory') {
        this.waiting.get(msg.id)?.(msg.sample);
        this.waiting.delete(msg.id);
      } else if (msg.type === 'probe') {
        this.probes.get(msg.id)?.(msg.value);
        this.probes.delete(msg.id);
      }
    });
  }

  /** Starts the bot with exactly this environment (plus PATH/HOME) and waits until ready. */
  static async start(opts: {
    name: string;
    /** The compiled bot-process.js. */
    script: string;
    env: Record<string, string>;
    child: ChildOptions;
    logFile: string;
    timeoutMs?: number;
  }): Promise<BotProcess> {
    const fd = openSync(opts.logFile, 'w');
    const child = fork(opts.script, [], {
      // BENCH_CPU_PROF=<dir> writes a V8 CPU profile of each bot process there (bench/README.md).
      execArgv: process.env.BENCH_CPU_PROF
        ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_CPU_PROF]
        : [],
      // Only the world's settings: nothing from the shell (a .env, a real token) leaks in.
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        ...opts.env,
        BENCH_CHILD: JSON.stringify(opts.child),
      },
      stdio: ['ignore', fd, fd, 'ipc'],
    });
    closeSync(fd);
    const bot = new BotProcess(opts.name, child);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${opts.name}: not ready in time (see ${opts.logFile})`)),
        opts.timeoutMs ?? 60_000,
      );
      const done = (err?: Error): void => {
        clearTimeout(timer);
        child.off('message', onMessage);
        child.off('exit', onExit);
        if (err) reject(err);
        else resolve();
      };
      const onMessage = (raw: unknown): void => {
        const msg = raw as FromChild;
        if (msg.type === 'ready') done();
        if (msg.type === 'failed')
          done(new Error(`${opts.name}: ${msg.error} (see ${opts.logFile})`));
      };
      const onExit = (code: number | null): void =>
        done(new Error(`${opts.name}: exited with ${code} before ready (see ${opts.logFile})`));
      child.on('message', onMessage);
      child.once('exit', onExit);
    }).catch(async (err: unknown) => {
      await bot.kill();
      throw err;
    });
    return bot;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  memory(timeoutMs = 5_000): Promise<MemorySample> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        reject(new Error(`${this.name}: no memory sample`));
      }, timeoutMs);
      this.waiting.set(id, (s) => {
        clearTimeout(timer);
        resolve(s);
      });
      this.send({ type: 'memory', id });
    });
  }

  /** The bot's CPU time so far (user + system, µs). */
  cpuUs(): Promise<number> {
    return this.probe('cpu', 5_000);
  }

  /** Makes the bot re-read its channels' settings now; resolves to the channels it then has automatic clips on in. */
  syncAutoclip(timeoutMs = 30_000): Promise<number> {
    return this.probe('autoclip-sync', timeoutMs);
  }

  private probe(what: Probe, timeoutMs: number): Promise<number> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.probes.delete(id);
        reject(new Error(`${this.name}: no answer to ${what}`));
      }, timeoutMs);
      this.probes.set(id, (value) => {
        clearTimeout(timer);
        resolve(value);
      });
      this.send({ type: 'probe', id, what });
    });
  }

  /** Asks the bot to stop (graceful: App.stop()); kills it if it takes longer than graceMs. */
  async stop(graceMs = 40_000): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.send({ type: 'stop' });
    const timer = setTimeout(() => void this.kill(), graceMs);
    await this.exited;
    clearTimeout(timer);
  }

  private async kill(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    await this.exited;
  }

  private send(msg: ToChild): void {
    if (this.child.connected) this.child.send(msg);
  }
}
