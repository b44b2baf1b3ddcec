/** A request's method and path, which fault rules are matched against. */
export interface RequestKey {
  method: string;
  /** full path, e.g. /helix/streams */
  path: string;
}

interface Matcher {
  method?: string;
  /** normalised full path, or undefined for "any Helix path" */
  path?: string;
}

interface FailureRule extends Matcher {
  status: number;
  remaining: number;
  /** The request takes effect first; only its answer is the failure (see injectFailure). */
  afterHandling: boolean;
}

export interface InjectFailureOptions {
  status: number;
  count: number;
  method?: string;
  path?: string;
  /**
   * Let the request take effect (a POST /clips makes its clip), then answer with the
   * failure instead: Twitch acted but its answer was lost. Default false: refused before.
   */
  afterHandling?: boolean;
}

interface LatencyRule extends Matcher {
  ms: number;
}

/**
 * Trouble a scenario asks for: forced 429s, injected failures and latency. Paths may be
 * given with or without the /helix prefix ('/streams' means '/helix/streams'); a rule
 * without a path applies to every Helix call.
 */
export class Faults {
  private forced429: Matcher & { remaining: number; resetInMs: number } = {
    remaining: 0,
    resetInMs: 1000,
  };
  private failures: FailureRule[] = [];
  private latencies: LatencyRule[] = [];

  /**
   * The next `count` Helix calls (those matching `where`, when given) are answered 429 with
   * a reset `resetInMs` away. A scenario about one caller's calls names them: the bot's
   * own background calls (the live table's refresh) would otherwise take some of the 429s.
   */
  force429(count: number, resetInMs = 1000, where: { method?: string; path?: string } = {}): void {
    this.forced429 = { ...matcher(where), remaining: Math.max(0, Math.floor(count)), resetInMs };
  }

  /** The reset delay of a forced 429 for this Helix request, if one is due. */
  take429(req: RequestKey): number | undefined {
    if (this.forced429.remaining <= 0 || !matches(this.forced429, req)) return undefined;
    this.forced429.remaining -= 1;
    return this.forced429.resetInMs;
  }

  injectFailure(opts: InjectFailureOptions): void {
    if (opts.count <= 0) return;
    this.failures.push({
      ...matcher(opts),
      status: opts.status,
      remaining: opts.count,
      afterHandling: opts.afterHandling ?? false,
    });
  }

  /** The status of an injected failure that refuses this request before it is handled. */
  takeFailure(req: RequestKey): number | undefined {
    return this.take(req, false);
  }

  /** The status of an injected failure that replaces the answer of a request it let act. */
  takeFailureAfterHandling(req: RequestKey): number | undefined {
    return this.take(req, true);
  }

  private take(req: RequestKey, afterHandling: boolean): number | undefined {
    const rule = this.failures.find(
      (r) => r.remaining > 0 && r.afterHandling === afterHandling && matches(r, req),
    );
    if (!rule) return undefined;
    rule.remaining -= 1;
    this.failures = this.failures.filter((r) => r.remaining > 0);
    return rule.status;
  }

  /** Replaces the latency for the same method/path; 0 removes it. */
  setLatency(ms: number, opts: { method?: string; path?: string } = {}): void {
    const m = matcher(opts);
    this.latencies = this.latencies.filter((r) => r.method !== m.method || r.path !== m.path);
    if (ms > 0) this.latencies.push({ ...m, ms });
  }

  /** The most specific rule wins: the last one added that matches. */
  latencyFor(req: RequestKey): number {
    for (let i = this.latencies.length - 1; i >= 0; i--) {
      const rule = this.latencies[i];
      if (rule && matches(rule, req)) return rule.ms;
    }
    return 0;
  }
}

function matcher(opts: { method?: string; path?: string }): Matcher {
  const out: Matcher = {};
  if (opts.method) out.method = opts.method.toUpperCase();
  if (opts.path) out.path = normalisePath(opts.path);
  return out;
}

function normalisePath(path: string): string {
  const p = path.split('?')[0]!.replace(/\/+$/, '') || '/';
  if (p.startsWith('/helix/') || p.startsWith('/oauth2/') || p === '/helix' || p === '/oauth2')
    return p;
  return `/helix${p.startsWith('/') ? '' : '/'}${p}`;
}

function matches(rule: Matcher, req: RequestKey): boolean {
  if (rule.method && rule.method !== req.method.toUpperCase()) return false;
  const path = req.path.replace(/\/+$/, '');
  if (rule.path) return rule.path === path;
  return path.startsWith('/helix/');
}
