export type CooldownCheck = { ok: true } | { ok: false; retryAfterS: number };

/** One cooldown a call needs, for tryTakeAll. */
export interface CooldownClaim {
  key: string;
  seconds: number;
  /**
   * A held cooldown that started at most this many seconds ago does not refuse the call (it
   * joins whatever started the cooldown) and is not taken again. Unset: a held one refuses.
   */
  joinWithinS?: number;
}

/** What a successful tryTakeAll took, so exactly that can be given back. */
export interface CooldownTicket {
  readonly taken: readonly { readonly key: string; readonly token: string }[];
}

export type CooldownsCheck =
  { ok: true; ticket: CooldownTicket } | { ok: false; key: string; retryAfterS: number };

export interface CooldownStore {
  /** Takes the cooldown `key` for `seconds` if it is free (atomic, shared by every process). */
  tryTake(key: string, seconds: number): Promise<CooldownCheck>;
  /**
   * Takes every claim or none, in one atomic step: when one is held (and not joinable), the
   * answer names it and nothing was taken.
   */
  tryTakeAll(claims: readonly CooldownClaim[]): Promise<CooldownsCheck>;
  /**
   * Gives back what a tryTakeAll took, for a call that turned out to do nothing. A cooldown
   * that expired and was taken by someone else since is left alone.
   */
  release(ticket: CooldownTicket): Promise<void>;
  /**
   * True the first time it is asked for `key` within `seconds`: lets the bot answer a
   * refused request once per user per cooldown, and stay quiet after.
   */
  shouldNotify(key: string, seconds: number): Promise<boolean>;
}
