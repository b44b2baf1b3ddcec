/**
 * Error messages the stand-in answers with. Where Twitch's reference gives the wording
 * (test/fixtures/helix-contract/), it is copied verbatim, curly apostrophes included,
 * so code that recognises Twitch's messages is tested against the real text.
 */
export const HELIX_MESSAGES = {
  tokenMissing: 'OAuth token is missing',
  clientIdMissing: 'Client-Id header required',
  clientIdMismatch: 'Client ID and OAuth token do not match',
  invalidToken: 'Invalid OAuth token',
  tooManyRequests: 'Too Many Requests',
  bracketParam: (name: string) =>
    `The parameter "${name}" is not supported; repeat the parameter instead (id=a&id=b).`,
  missingParam: (name: string) => `Missing required parameter "${name}"`,
  malformedParam: (name: string) => `The parameter "${name}" was malformed`,
  missingScope: (scope: string) => `Missing scope: ${scope}`,
  userTokenRequired: 'The Authorization header is required and must specify user access token.',

  usersNoQuery:
    'The id or login query parameter is required unless the request uses a user access token.',
  usersTooMany:
    'The request exceeded the maximum allowed number of id and/or login query parameters.',
  streamsTooMany: (name: string) => `The request exceeded the maximum of 100 ${name} values.`,
  streamsBadType: 'The value in the type query parameter is not valid.',

  notLive: 'The broadcaster in the broadcaster_id query parameter must be broadcasting live.',
  // Create Clip's refusals as real Twitch words them, which is NOT the reference's wording
  // (kept below as doc*). Clients in the wild match substrings of these texts: Chatterino/
  // chatterino2 src/providers/twitch/api/Helix.cpp (Helix::createClip) matches "restricted
  // for this channel" (clips off), "User does not have permissions" (followers or
  // subscribers only) and "restricted for this category"; a public auto-clipper quotes the
  // category refusal whole, and it is a 403, not the reference's 400. The first two are
  // known only by those substrings; the rest of their sentences here is ours.
  clipsDisabled: 'Clipping is restricted for this channel.',
  clipsRestricted: 'User does not have permissions to clip on this channel.',
  categoryRestricted: 'Clipping is restricted for this category on this channel.',
  docClipsRestricted:
    'The broadcaster has restricted the ability to capture clips to followers and/or subscribers only.',
  docClipsDisabled: 'The specified broadcaster has not enabled clips on their channel.',
  banned: 'The user is banned or timed out from the broadcaster’s channel.',
  unknownBroadcaster: 'The ID in the broadcaster_id query parameter was not found.',
  docNotClippable: 'The category is not clippable.',
  // GET /users with one malformed login fails the whole batch (real Twitch).
  usersInvalid: 'Invalid login names, emails or IDs in request',
  automod: 'The title did not pass AutoMod checks.',
  badDuration: 'The duration must be between 5 and 60 seconds, with a precision of 0.1.',
  titleTooLong: 'The title must be at most 100 characters.',

  clipsNoQuery: 'The id or game_id or broadcaster_id query parameter is required.',
  clipsExclusive:
    'The id, game_id, and broadcaster_id query parameters are mutually exclusive; you may specify only one of them.',
  tooManyIds: 'The request exceeded the maximum of 100 id query parameters.',
  gameNotFound: 'The ID in game_id was not found.',
  badFirst: 'The parameter "first" must be between 1 and 100.',
  badCursor: 'The cursor in the after or before query parameter is not valid.',

  vodEditorMismatch: 'The editor_id must match the user ID in the access token.',
  vodEditorNotAllowed: 'The user defined by the editor_id is not authorized to create Clips.',
  vodUserMissing: 'The broadcaster_id or the editor_id does not exist.',
  vodNotFound: 'The VOD is not found.',
  vodOffsetBeforeDuration: 'The vod_offset must be greater than or equal to the duration.',
  vodOffsetBeyondEnd: 'The vod_offset is beyond the end of the VOD.',
  vodBanned: "The user is banned or timed out from the broadcaster's channel.",

  videosNoQuery: 'The request must specify either the id or user_id or game_id query parameter.',
  videosExclusive:
    'The id, user_id, and game_id query parameters are mutually exclusive; you must specify only one of them.',
  videosBadEnum: (name: string) => `The value in the ${name} query parameter is not valid.`,
  videosIdNotFound: 'The ID in the id query parameter was not found.',
  videosGameNotFound: 'The ID in the game_id query parameter was not found.',
  deleteNoId: 'The id query parameter is required.',
  deleteTooMany: 'The request exceeded the number of allowed id query parameters.',
  deleteNotOwner: 'The caller is not authorized to delete the specified video.',

  gamesNoQuery: 'The request must specify the id or name or igdb_id query parameter.',
  gamesTooMany:
    'The combined number of game IDs (id and igdb_id) and game names that you specify in the request must not exceed 100.',

  chatSenderMismatch: 'The sender_id must match the user ID in the access token.',
  chatTooLarge: 'The message is too large.',
  notFound: 'Not Found',
} as const;

/** Twitch's OAuth server answers {status, message} without Helix's "error" field. */
export const OAUTH_MESSAGES = {
  missingClientId: 'missing client id',
  invalidClient: 'invalid client',
  invalidClientSecret: 'invalid client secret',
  unsupportedGrant: 'unsupported grant type',
  invalidRefreshToken: 'Invalid refresh token',
  missingRefreshToken: 'missing refresh token',
  authorizationPending: 'authorization_pending',
  invalidDeviceCode: 'invalid device code',
  expiredDeviceCode: 'expired device code',
  missingAuthorization: 'missing authorization token',
  invalidAccessToken: 'invalid access token',
  invalidToken: 'Invalid token',
  unknownUserCode: 'unknown user code',
} as const;
