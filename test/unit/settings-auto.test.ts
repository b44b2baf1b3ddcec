import { describe, expect, it } from 'vitest';
import { DEFAULT_CHANNEL_SETTINGS } from '../../src/core/channel-settings.js';
import { fromHash, patchFields, toHash } from '../../src/core/settings-validation.js';
import { AutoClipManager } from '../../src/autoclip/manager.js';

describe('automatic-clip settings', () => {
  it('are off by default, quiet in chat, raids off', () => {
    expect(DEFAULT_CHANNEL_SETTINGS).toMatchObject({
      autoEnabled: false,
      autoSensitivity: 'normal',
      autoChat: false,
      autoRaids: false,
    });
  });

  it('round-trip through the stored hash; bad stored values fall back to the defaults', () => {
    const s = { ...DEFAULT_CHANNEL_SETTINGS, autoEnabled: true, autoSensitivity: 'low' as const };
    expect(fromHash(toHash(s))).toEqual(s);
    expect(
      fromHash({ autoSensitivity: 'extreme', autoCooldownS: '5', autoChat: 'maybe' }),
    ).toMatchObject({ autoSensitivity: 'normal', autoCooldownS: 120, autoChat: false });
  });

  it('refuse bad values with a short answer', () => {
    expect(() => patchFields({ autoCooldownS: 4000 })).toThrow(
      'The automatic clip cooldown is 30 to 3600 seconds.',
    );
    expect(() => patchFields({ autoSensitivity: 'max' as never })).toThrow(
      'Sensitivity is low, normal or high.',
    );
    expect(patchFields({ autoEnabled: true, autoCooldownS: 60 })).toEqual({
      autoEnabled: 'true',
      autoCooldownS: '60',
    });
  });

  it('drive the manager: on enables the channel with its settings, off drops it', () => {
    const m = new AutoClipManager();
    m.applySettings('c', { ...DEFAULT_CHANNEL_SETTINGS, autoEnabled: true });
    expect(m.isEnabled('c')).toBe(true);
    m.applySettings('c', DEFAULT_CHANNEL_SETTINGS);
    expect(m.isEnabled('c')).toBe(false);
  });
});
