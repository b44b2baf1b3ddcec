/**
 * The bot under test, in a process of its own so that its resident memory is its own:
 * the real App (BullMQ, ioredis, tmi.js, axios) configured from the environment the
 * benchmark passes (LocalWorld.env()). Instrumented only from the outside: it reports when
 * BullMQ starts a job and when the router sees the marker command, over the IPC channel.
 */
import type { App } from '../src/app/app.js';
import type { ChildOptions, FromChild, Probe, ToChild } from './protocol.js';

function send(msg: FromChild): void {
  process.send?.(msg);
}

function cpuUs(): number {
  const c = process.cpuUsage();
  return c.user + c.system;
}

function memory(): { rss: number; heapUsed: number; external: number } {
  const m = process.memoryUsage();
  return { rss: m.rss, heapUsed: m.heapUsed, external: m.external };
}

async function main(): Promise<void> {
  const opts = JSON.parse(process.env.BENCH_CHILD ?? '{}') as ChildOptions;
  // Set once the bot is built; stop() may run before that (the benchmark gave up).
  const running: { app?: App } = {};
  let stopping = false;
  const stop = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    await running.app?.stop().catch(() => undefined);
    // Whatever handle a library left open, the process ends here.
    if (process.connected) process.send?.({ type: 'stopped' }, () => process.exit(0));
    else process.exit(0);
  };
  const probe = async (what: Probe): Promise<number> => {
    if (what === 'cpu') return cpuUs();
    const autoclip = running.app?.parts.chat?.autoclip;
    if (!autoclip) return 0;
    await autoclip.sync.refresh();
    return autoclip.manager.enabledChannels;
  };
  process.on('message', (raw) => {
    const msg = raw as ToChild;
    if (msg.type === 'memory') send({ type: 'memory', id: msg.id, sample: memory() });
    if (msg.type === 'probe')
      void probe(msg.what).then(
        (value) => send({ type: 'probe', id: msg.id, value }),
        () => send({ type: 'probe', id: msg.id, value: Number.NaN }),
      );
    if (msg.type === 'stop') void stop();
  });
  // The benchmark going away (or failing) must not leave a bot running.
  process.on('disconnect', () => void stop());
  if (opts.baseline) {
    send({ type: 'ready' });
    return;
  }

  // Loaded here, not at the top, so that the baseline process holds no bot code at all.
  const { App: AppClass } = await import('../src/app/app.js');
  const { loadConfig } = await import('../src/config.js');
  const { createLogger } = await import('../src/logger.js');
  const config = loadConfig(process.env);
  const log = createLogger({
    level: config.LOG_LEVEL,
    format: 'json',
    destination: process.stderr,
  });
  const app = new AppClass({
    config,
    role: 'all',
    log,
    opsServer: false,
    ...(opts.chatLimits ? { twitchChatLimits: opts.chatLimits } : {}),
  });
  running.app = app;
  await app.start();

  // Counts automatic-clip fires: a fire in the routing figure would add Helix calls to it.
  let fires = 0;
  const clipper = app.parts.chat?.autoclip.clipper;
  if (clipper) {
    const fire = clipper.fire.bind(clipper);
    clipper.fire = (...args) => {
      fires++;
      return fire(...args);
    };
  }
  const router = app.parts.chat?.router;
  if (router) {
    // Counts what reaches the router; the adapter calls router.handle at each command.
    let routed = 0;
    const handle = router.handle.bind(router);
    const marker = opts.marker;
    router.handle = (input) => {
      routed++;
      if (marker && input.chatText === marker) {
        const detectors = app.parts.chat?.autoclip.manager.enabledChannels ?? 0;
        send({ type: 'marker', at: Date.now(), routed, detectors, cpuUs: cpuUs(), fires });
        // Each routing run counts its own commands.
        routed = 0;
        return Promise.resolve();
      }
      return handle(input);
    };
  }
  const started = new Set<string>();
  app.parts.pipeline.worker?.worker.on('active', (job) => {
    const jobId = job.id ?? '';
    // A retried job starts again; the first start is the one a viewer waited for.
    if (started.has(jobId)) return;
    started.add(jobId);
    send({
      type: 'job-active',
      jobId,
      requestId: job.data.request.requestId,
      requestedAt: job.data.request.requestedAt,
      processedOn: job.processedOn ?? Date.now(),
    });
  });
  send({ type: 'ready' });
}

main().catch((err: unknown) => {
  send({ type: 'failed', error: err instanceof Error ? err.message : String(err) });
  process.exitCode = 1;
  setTimeout(() => process.exit(1), 100).unref();
});
