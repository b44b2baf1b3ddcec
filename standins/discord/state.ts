import { Journal } from './journal.js';
import type {
  StandInChannel,
  StandInGuild,
  StandInUser,
  StoredInteraction,
  StoredMessage,
} from './model.js';
import { SnowflakeMaker } from './snowflake.js';

type Json = Record<string, unknown>;

export interface StateSettings {
  botToken: string;
  applicationId: string;
  bot: StandInUser;
  callbackDeadlineMs: number;
  interactionTokenTtlMs: number;
}

/** Everything the stand-in remembers; the REST API, the gateway and the test API share it. */
export class StandInState {
  readonly ids = new SnowflakeMaker();
  readonly journal = new Journal();
  readonly guilds = new Map<string, StandInGuild>();
  /** Registered commands by scope: 'global' or a guild id. */
  readonly commands = new Map<string, Json[]>();
  readonly interactions = new Map<string, StoredInteraction>();
  readonly interactionsByToken = new Map<string, StoredInteraction>();
  readonly channelMessages = new Map<string, StoredMessage[]>();
  readonly botJoinedAt = new Date().toISOString();
  /** Until this time (epoch ms), every interaction callback is answered 429. */
  callbacksLimitedUntil = 0;

  constructor(readonly settings: StateSettings) {}

  get bot(): StandInUser {
    return this.settings.bot;
  }

  get applicationId(): string {
    return this.settings.applicationId;
  }

  findChannel(id: string): StandInChannel | undefined {
    for (const g of this.guilds.values()) {
      const c = g.channels.find((ch) => ch.id === id);
      if (c) return c;
    }
    return undefined;
  }

  commandsFor(scope: string | undefined): Json[] {
    return this.commands.get(scope ?? 'global') ?? [];
  }

  /** PUT semantics: replaces the scope's set; a command keeps its id when its name stays. */
  replaceCommands(scope: string | undefined, defs: Json[]): Json[] {
    const before = this.commandsFor(scope);
    const stored = defs.map((d) => {
      const existing = before.find((b) => b.name === d.name && (b.type ?? 1) === (d.type ?? 1));
      return this.toStored(d, scope, existing?.id as string | undefined);
    });
    this.commands.set(scope ?? 'global', stored);
    this.journal.add({ kind: 'commands', at: Date.now(), guildId: scope, commands: stored });
    return stored;
  }

  /** POST semantics: creates or overwrites one command of that name. */
  upsertCommand(scope: string | undefined, def: Json): Json {
    const list = [...this.commandsFor(scope)];
    const i = list.findIndex((b) => b.name === def.name && (b.type ?? 1) === (def.type ?? 1));
    const stored = this.toStored(def, scope, i >= 0 ? (list[i]?.id as string) : undefined);
    if (i >= 0) list[i] = stored;
    else list.push(stored);
    this.commands.set(scope ?? 'global', list);
    this.journal.add({ kind: 'commands', at: Date.now(), guildId: scope, commands: list });
    return stored;
  }

  deleteCommand(scope: string | undefined, id: string): boolean {
    const list = this.commandsFor(scope);
    const next = list.filter((c) => c.id !== id);
    this.commands.set(scope ?? 'global', next);
    return next.length !== list.length;
  }

  private toStored(def: Json, scope: string | undefined, id: string | undefined): Json {
    return {
      type: 1,
      default_member_permissions: null,
      nsfw: false,
      integration_types: [0],
      contexts: null,
      ...def,
      id: id ?? this.ids.next(),
      application_id: this.applicationId,
      ...(scope ? { guild_id: scope } : {}),
      version: this.ids.next(),
    };
  }
}
