/**
 * One timer per clip that is waiting to become visible, so 'clip-visible' fires at the
 * moment Get Clips starts returning it. Timers are unref'd and cleared on stop so a test
 * process never hangs on a stand-in it forgot.
 */
export class ClipClock {
  private readonly timers = new Set<NodeJS.Timeout>();

  at(when: number, fire: () => void): void {
    const timer = setTimeout(
      () => {
        this.timers.delete(timer);
        fire();
      },
      Math.max(0, when - Date.now()),
    );
    timer.unref();
    this.timers.add(timer);
  }

  clear(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }
}
