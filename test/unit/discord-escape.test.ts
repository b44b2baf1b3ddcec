import { describe, expect, it } from 'vitest';
import { link, neutraliseMentions, safeText, truncate } from '../../src/chat/discord/escape.js';
import { replyBody } from '../../src/chat/discord/message-body.js';
import { pingsIn } from '../../standins/discord/message-rules.js';

describe('safeText', () => {
  it('escapes markdown and breaks pinging mentions', () => {
    const out = safeText(
      '**bold** _it_ ~~s~~ ||spoiler|| `code` @everyone @here <@123> <@!4> <@&5>',
    );
    expect(out).toContain('\\*\\*bold\\*\\*');
    expect(out).toContain('\\_it\\_');
    expect(out).toContain('\\|\\|spoiler\\|\\|');
    expect(out).toContain('\\`code\\`');
    // Even with every mention allowed, nothing left in it pings.
    expect(pingsIn({ content: out })).toEqual([]);
  });

  it('escapes line starts that would become headings, lists or quotes', () => {
    expect(safeText('# big\n- item\n> quote')).toBe('\\# big\n\\- item\n\\> quote');
    expect(safeText('[click](https://evil.example)')).toBe('\\[click\\](https://evil.example)');
    expect(safeText('\\[x]')).toBe('\\\\\\[x\\]');
  });

  it('keeps links clickable', () => {
    const out = safeText('see https://clips.twitch.tv/Some_Clip_Name and **x**');
    expect(out).toContain('https://clips.twitch.tv/Some_Clip_Name');
    expect(out).toContain('\\*\\*x\\*\\*');
  });

  it('leaves channel links, which ping nobody', () => {
    expect(neutraliseMentions('posted in <#123456789012345678>')).toBe(
      'posted in <#123456789012345678>',
    );
  });
});

describe('link and truncate', () => {
  it('builds masked links with escaped labels and drops unusable URLs', () => {
    expect(link('**Streamer**', 'https://www.twitch.tv/streamer')).toBe(
      '[\\*\\*Streamer\\*\\*](https://www.twitch.tv/streamer)',
    );
    expect(link('a)b', 'https://x.example/a)b')).toBe('[a)b](https://x.example/a%29b)');
    expect(link('plain', 'javascript:alert(1)')).toBe('plain');
  });

  it('cuts long text with a mark', () => {
    expect(truncate('abcdef', 4)).toBe('abc…');
    expect(truncate('abc', 4)).toBe('abc');
  });
});

describe('replyBody', () => {
  it('sends text with no allowed mentions', () => {
    expect(replyBody('hi @everyone')).toEqual({
      content: 'hi @\u200beveryone',
      embeds: [],
      allowed_mentions: { parse: [] },
    });
  });

  it('turns a rich reply into an escaped embed within Discord limits', () => {
    const body = replyBody({
      text: 'fallback',
      embed: {
        title: 't'.repeat(300),
        url: 'https://example.com',
        fields: [
          { name: '**n**', value: 'v <@1>', inline: true },
          { name: '', value: 'dropped' },
        ],
        thumbnailUrl: 'not a url',
        footer: 'f',
        color: 1,
      },
    });
    const e = body.embeds[0];
    expect(body.content).toBe('');
    expect(e?.title).toHaveLength(256);
    expect(e?.fields).toEqual([{ name: '\\*\\*n\\*\\*', value: 'v <@\u200b1>', inline: true }]);
    expect(e?.thumbnail).toBeUndefined();
    expect(e?.footer).toEqual({ text: 'f' });
  });

  it('falls back to the text when the embed is empty', () => {
    expect(replyBody({ text: 'just text', embed: {} }).content).toBe('just text');
  });
});
