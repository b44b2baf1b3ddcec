/** The worker is being stopped: the job goes back to the queue, unanswered and unharmed. */
export class ShutdownError extends Error {
  override readonly name = 'ShutdownError';
  constructor() {
    super('the clip worker is stopping');
  }
}

/** The processor's forced stop, which every long wait of a job gives way to. */
export class StopSignal {
  private stoppedFlag = false;
  private readonly onStop = new Set<(err: ShutdownError) => void>();

  get stopped(): boolean {
    return this.stoppedFlag;
  }

  stop(): void {
    this.stoppedFlag = true;
    for (const reject of this.onStop) reject(new ShutdownError());
    this.onStop.clear();
  }

  throwIfStopped(): void {
    if (this.stoppedFlag) throw new ShutdownError();
  }

  /** `wait`, or a ShutdownError as soon as stop() is called. */
  async untilStopped<T>(wait: Promise<T>): Promise<T> {
    this.throwIfStopped();
    let reject: ((err: ShutdownError) => void) | undefined;
    const stopped = new Promise<never>((_, r) => {
      reject = r;
      this.onStop.add(r);
    });
    try {
      return await Promise.race([wait, stopped]);
    } finally {
      if (reject) this.onStop.delete(reject);
    }
  }
}
