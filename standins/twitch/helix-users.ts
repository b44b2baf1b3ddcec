import { HELIX_MESSAGES } from './messages.js';
import { fail, ok, unique, type HelixContext } from './helix-context.js';
import { gameJson, userJson } from './serialize.js';
import type { GameRecord, UserRecord } from './types.js';

/** GET /users: ids and logins combined, at most 100; none means "me" for a user token. */
export function getUsers(ctx: HelixContext) {
  const ids = ctx.params.all('id');
  const logins = ctx.params.all('login');
  if (ids.length + logins.length > 100) fail(400, HELIX_MESSAGES.usersTooMany);
  if (ids.length + logins.length === 0) {
    const me = ctx.caller.userId === undefined ? undefined : ctx.world.userById(ctx.caller.userId);
    if (ctx.caller.kind !== 'user' || !me) fail(400, HELIX_MESSAGES.usersNoQuery);
    return ok({ data: [userJson(me)] });
  }
  // Real Twitch fails the whole batch when one login is malformed, rather than leaving it
  // out as it does with a well-formed login nobody has.
  if (logins.some((l) => !/^[a-zA-Z0-9_]{1,25}$/.test(l))) fail(400, HELIX_MESSAGES.usersInvalid);
  const found = new Map<string, UserRecord>();
  for (const id of ids) {
    const u = ctx.world.userById(id);
    if (u) found.set(u.id, u);
  }
  for (const login of logins) {
    const u = ctx.world.userByLogin(login);
    if (u) found.set(u.id, u);
  }
  return ok({ data: [...found.values()].map(userJson) });
}

/** GET /games: ids, names and igdb ids combined, at most 100; unknown ones are ignored. */
export function getGames(ctx: HelixContext) {
  const ids = ctx.params.all('id');
  const names = ctx.params.all('name');
  const igdb = ctx.params.all('igdb_id');
  const total = ids.length + names.length + igdb.length;
  if (total === 0) fail(400, HELIX_MESSAGES.gamesNoQuery);
  if (total > 100) fail(400, HELIX_MESSAGES.gamesTooMany);
  const found = new Map<string, GameRecord>();
  for (const id of unique(ids)) {
    const g = ctx.world.gameById(id);
    if (g) found.set(g.id, g);
  }
  for (const name of unique(names)) {
    const g = ctx.world.gameByName(name);
    if (g) found.set(g.id, g);
  }
  return ok({ data: [...found.values()].map(gameJson) });
}
