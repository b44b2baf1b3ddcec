import { EventEmitter } from 'node:events';
import type { MessageBody } from './message-rules.js';

/** What crossed the wire, in order, for tests to assert on. */
export type JournalEntry =
  | {
      kind: 'callback';
      at: number;
      interactionId: string;
      /** Interaction callback type: 4 message, 5 deferred, 8 autocomplete result. */
      type: number;
      body: { type: number; data?: Record<string, unknown> };
      /** ms from the INTERACTION_CREATE dispatch to this callback. */
      latencyMs: number;
    }
  | { kind: 'edit'; at: number; interactionId: string; messageId: string; body: MessageBody }
  | { kind: 'followup'; at: number; interactionId: string; messageId: string; body: MessageBody }
  | { kind: 'delete'; at: number; interactionId: string; messageId: string }
  | {
      kind: 'message';
      at: number;
      channelId: string;
      guildId?: string;
      messageId: string;
      body: MessageBody;
    }
  | { kind: 'commands'; at: number; guildId?: string; commands: Record<string, unknown>[] }
  | {
      kind: 'gateway';
      at: number;
      event: 'identify' | 'ready' | 'resume' | 'resumed' | 'invalid_session' | 'closed';
      sessionId?: string;
      code?: number;
    }
  /** A request the stand-in refused (status >= 400); paths never include tokens. */
  | { kind: 'rejected'; at: number; method: string; route: string; status: number; code: number };

export type JournalKind = JournalEntry['kind'];
export type EntryOf<K extends JournalKind> = Extract<JournalEntry, { kind: K }>;

export class Journal {
  readonly entries: JournalEntry[] = [];
  readonly events = new EventEmitter();

  constructor() {
    // Tests wait on many entries at once; the default warning at 10 listeners is noise.
    this.events.setMaxListeners(0);
  }

  add(entry: JournalEntry): void {
    this.entries.push(entry);
    this.events.emit(entry.kind, entry);
  }

  of<K extends JournalKind>(kind: K): EntryOf<K>[] {
    return this.entries.filter((e): e is EntryOf<K> => e.kind === kind);
  }

  /** Resolves with the first entry (already recorded or still to come) that matches. */
  waitFor<K extends JournalKind>(
    kind: K,
    match: (e: EntryOf<K>) => boolean = () => true,
    timeoutMs = 5000,
  ): Promise<EntryOf<K>> {
    const found = this.of(kind).find(match);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const onEntry = (e: EntryOf<K>) => {
        if (!match(e)) return;
        clearTimeout(timer);
        this.events.off(kind, onEntry);
        resolve(e);
      };
      const timer = setTimeout(() => {
        this.events.off(kind, onEntry);
        reject(new Error(`Discord stand-in: no '${kind}' entry matched within ${timeoutMs} ms`));
      }, timeoutMs);
      this.events.on(kind, onEntry);
    });
  }
}
