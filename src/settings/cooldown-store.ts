export type CooldownCheck = { ok: true } | { ok: false; retryAfterS: number };

export interface CooldownStore {
  /** Takes the cooldown `key` for `seconds` if it is free (atomic, shared by every process). */
  tryTake(key: string, seconds: number): Promise<CooldownCheck>;
  /**
   * True the first time it is asked for `key` within `seconds`: lets the bot answer a
   * refused request once per user per cooldown, and stay quiet after.
   */
  shouldNotify(key: string, seconds: number): Promise<boolean>;
}
