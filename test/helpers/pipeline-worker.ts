import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ClipPipelineSettings } from '../../src/app/clip-pipeline.js';
import type { PipelineHarness } from './pipeline-harness.js';

const SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'worker-process.ts');

export interface WorkerProcess {
  child: ChildProcess;
  /** Everything it printed on stdout (ready, closed). */
  stdout(): string;
  /** Resolves with the exit code or signal. */
  exited: Promise<number | string>;
  kill(signal: NodeJS.Signals): Promise<number | string>;
}

/**
 * Starts test/helpers/worker-process.ts (a clip worker in its own process) wired to the
 * harness's Redis prefix and stand-in; resolves once it takes jobs.
 */
export async function spawnWorkerProcess(
  h: PipelineHarness,
  settings: Partial<ClipPipelineSettings> = {},
): Promise<WorkerProcess> {
  // node --import tsx rather than `npx tsx`: one process, so a signal reaches the worker
  // itself and its exit is the worker's exit.
  const child = spawn(process.execPath, ['--import', 'tsx', SCRIPT], {
    env: {
      ...process.env,
      CLIPBOT_WORKER_REDIS_URL: h.redisUrl,
      CLIPBOT_WORKER_PREFIX: h.prefix,
      CLIPBOT_WORKER_API_URL: h.standIn.apiUrl,
      CLIPBOT_WORKER_AUTH_URL: h.standIn.authUrl,
      CLIPBOT_WORKER_CLIENT_ID: h.standIn.clientId,
      CLIPBOT_WORKER_CLIENT_SECRET: h.standIn.clientSecret,
      CLIPBOT_WORKER_ACCESS_TOKEN: h.userToken.accessToken,
      CLIPBOT_WORKER_REFRESH_TOKEN: h.userToken.refreshToken,
      CLIPBOT_WORKER_SETTINGS: JSON.stringify(settings),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => resolve(signal ?? code ?? -1)),
  );
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker process not ready:\n${err}`)), 60_000);
    const onData = (): void => {
      if (out.includes('ready')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    void exited.then((how) => {
      clearTimeout(timer);
      reject(new Error(`worker process exited (${how}) before ready:\n${err}`));
    });
  });
  return {
    child,
    stdout: () => out,
    exited,
    kill(signal) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
