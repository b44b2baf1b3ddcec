/** One named check for /healthz: ok, degraded (works with reduced features) or down. */
export type HealthStatus = 'ok' | 'degraded' | 'down';

export interface HealthCheckResult {
  status: HealthStatus;
  detail?: string;
}

export type HealthCheck = () => Promise<HealthCheckResult> | HealthCheckResult;

export interface HealthReport {
  status: HealthStatus;
  checks: Record<string, HealthCheckResult>;
}

const rank: Record<HealthStatus, number> = { ok: 0, degraded: 1, down: 2 };

/** Runs every check with a time limit; one slow or throwing check cannot hang /healthz. */
export async function runHealthChecks(
  checks: Record<string, HealthCheck>,
  timeoutMs = 2000,
): Promise<HealthReport> {
  const entries = await Promise.all(
    Object.entries(checks).map(async ([name, check]): Promise<[string, HealthCheckResult]> => {
      let timer: NodeJS.Timeout | undefined;
      try {
        const timeout = new Promise<HealthCheckResult>((resolve) => {
          timer = setTimeout(
            () => resolve({ status: 'down', detail: `no answer within ${timeoutMs} ms` }),
            timeoutMs,
          );
        });
        return [name, await Promise.race([Promise.resolve(check()), timeout])];
      } catch (err) {
        return [name, { status: 'down', detail: (err as Error).message }];
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  const results = Object.fromEntries(entries);
  const worst = entries.reduce<HealthStatus>(
    (acc, [, r]) => (rank[r.status] > rank[acc] ? r.status : acc),
    'ok',
  );
  return { status: worst, checks: results };
}
