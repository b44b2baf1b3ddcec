import { HELIX_MESSAGES } from './messages.js';
import { enumParam, fail, ok, type HelixContext } from './helix-context.js';
import { paginate } from './pagination.js';
import { streamJson } from './serialize.js';

/**
 * GET /streams: only live channels come back (offline ones are simply absent), most
 * viewers first. Filters combine as Twitch's do: any listed user, game and language.
 */
export function getStreams(ctx: HelixContext) {
  const userIds = ctx.params.all('user_id');
  const logins = ctx.params.all('user_login');
  const gameIds = ctx.params.all('game_id');
  const languages = ctx.params.all('language');
  for (const [name, list] of [
    ['user_id', userIds],
    ['user_login', logins],
    ['game_id', gameIds],
    ['language', languages],
  ] as const)
    if (list.length > 100) fail(400, HELIX_MESSAGES.streamsTooMany(name));
  enumParam(ctx, 'type', ['all', 'live'], 'all', HELIX_MESSAGES.streamsBadType);

  // Looking requested users up directly keeps a 100-id poll cheap with 1,000 channels.
  const byUser = userIds.length + logins.length > 0;
  const candidates = byUser
    ? [
        ...new Set(
          [
            ...userIds.map((id) => ctx.world.userById(id)),
            ...logins.map((l) => ctx.world.userByLogin(l)),
          ].filter((u) => u !== undefined),
        ),
      ].flatMap((user) => {
        const stream = ctx.world.stream(user.id);
        return stream ? [{ user, stream }] : [];
      })
    : ctx.world.liveStreams();
  const live = candidates
    .filter(({ stream }) => {
      if (gameIds.length > 0 && !gameIds.includes(stream.gameId)) return false;
      if (languages.length > 0 && !languages.includes(stream.language)) return false;
      return true;
    })
    .sort(
      (x, y) => y.stream.viewerCount - x.stream.viewerCount || x.user.id.localeCompare(y.user.id),
    )
    .map(({ user, stream }) => streamJson(user, stream));
  return ok(paginate(live, ctx.params));
}
