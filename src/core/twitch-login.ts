const LOGIN = /^[a-z0-9_]{1,25}$/;

/**
 * A Twitch login from what a person typed: "#Foo", "@foo", "twitch.tv/foo" or a channel URL
 * all mean "foo". Undefined when it cannot be a login, so callers never ask Twitch about junk.
 */
export function normalizeLogin(input: string): string | undefined {
  let s = input.trim().toLowerCase();
  const url = /^(?:https?:\/\/)?(?:www\.|m\.)?twitch\.tv\/([^/?#\s]+)/.exec(s);
  if (url?.[1]) s = url[1];
  s = s.replace(/^[#@]/, '');
  return LOGIN.test(s) ? s : undefined;
}
