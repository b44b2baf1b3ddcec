import { Writable } from 'node:stream';
import type { Logger } from 'pino';
import { createLogger } from '../../src/logger.js';

/** A line the bot wrote to Twitch chat, stamped by the bot's clock as it wrote it. */
export interface WireLine {
  at: number;
  line: string;
}

const EXECUTING = 'Executing command: ';

/**
 * The bot's own record of the lines it writes to Twitch chat, for spacing checks on the side
 * that does the spacing: a stand-in stamps a line when it reads it, and under load it reads
 * a late line and the next one together. tmi.js logs "Executing command: <line>" (info, which
 * the chat connection passes on at trace) right before its WebSocket send.
 */
export function botWire(): { log: Logger; lines: WireLine[] } {
  const lines: WireLine[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const text of chunk.toString().split('\n')) {
        if (!text.includes(EXECUTING)) continue;
        const record = JSON.parse(text) as { time: number; tmi?: string };
        if (record.tmi?.startsWith(EXECUTING)) {
          lines.push({ at: record.time, line: record.tmi.slice(EXECUTING.length) });
        }
      }
      done();
    },
  });
  return { log: createLogger({ level: 'trace', format: 'json', destination }), lines };
}
