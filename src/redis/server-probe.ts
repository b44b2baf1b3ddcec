import { readFileSync } from 'node:fs';
import { Redis } from 'ioredis';

/** A one-shot connection that fails at once rather than retrying. */
export function probeClient(host: string, port: number): Redis {
  const client = new Redis({
    host,
    port,
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: 1000,
  });
  client.on('error', () => undefined);
  return client;
}

export async function configDir(client: Redis): Promise<string | undefined> {
  const reply = (await client.config('GET', 'dir')) as string[];
  return reply[1];
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  return !isZombie(pid);
}

/**
 * An exited process its parent has not reaped yet still answers kill(0). The orphaned
 * server's parent died, and whoever inherits it may take a while to reap it.
 */
function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    // No /proc (macOS) or already gone: kill(0) said enough.
    return false;
  }
}

/** The data dir of the Redis answering at host:port; undefined when none answers. */
export async function serverDirAt(host: string, port: number): Promise<string | undefined> {
  const client = probeClient(host, port);
  try {
    await client.connect();
    return await configDir(client);
  } catch {
    return undefined;
  } finally {
    client.disconnect();
  }
}
