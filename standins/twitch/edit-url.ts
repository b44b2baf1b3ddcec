/**
 * Create Clip's edit_url in Twitch's current form, the clip's page on the channel (reference
 * example "https://www.twitch.tv/twitchdev/clip/FiveWordsForClipSlug"; the old
 * https://clips.twitch.tv/<slug>/edit form is gone), with a query as Twitch adds one.
 */
export function editUrlJson(channelLogin: string, clipId: string): string {
  return `https://www.twitch.tv/${channelLogin}/clip/${clipId}?filter=clips&range=7d&sort=time`;
}
