import { describe, expect, it } from 'vitest';
import { applyTitleTemplate, templateNeedsStream } from '../../commands/clip-title.js';
import { UserError } from '../../src/core/command.js';

const parts = { title: '', user: 'Ann', channel: 'Streamer' };

describe('clip title template', () => {
  it("leaves the title to Twitch for the plain template and no viewer's title", () => {
    expect(applyTitleTemplate('{title}', parts)).toBeUndefined();
    expect(templateNeedsStream('{title}', '')).toBe(false);
  });

  it('fills every placeholder and tidies spaces', () => {
    expect(
      applyTitleTemplate('{title}  (clipped by {user} on {channel}, {game})', {
        ...parts,
        title: 'huge play',
        game: 'Chess',
      }),
    ).toBe('huge play (clipped by Ann on Streamer, Chess)');
  });

  it("uses the stream's title when the viewer gave none and the template adds words", () => {
    expect(templateNeedsStream('{title} by {user}', '')).toBe(true);
    expect(templateNeedsStream('{title} by {user}', 'mine')).toBe(false);
    expect(templateNeedsStream('{game} clip', 'mine')).toBe(true);
    expect(applyTitleTemplate('{title} by {user}', { ...parts, streamTitle: 'Speedrun' })).toBe(
      'Speedrun by Ann',
    );
  });

  it("refuses a viewer's title that makes it too long, saying how much fits", () => {
    const long = 'x'.repeat(95);
    expect(() => applyTitleTemplate('{title} by {user}', { ...parts, title: long })).toThrow(
      new UserError('That title is too long; at most 93 characters here.'),
    );
    expect(applyTitleTemplate('{title}', { ...parts, title: 'y'.repeat(100) })).toHaveLength(100);
  });

  it('cuts text that came from the stream rather than refusing', () => {
    const out = applyTitleTemplate('{title} by {user}', { ...parts, streamTitle: 's'.repeat(150) });
    expect(Array.from(out ?? '')).toHaveLength(100);
    expect(out?.endsWith('…')).toBe(true);
  });
});
