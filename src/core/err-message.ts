/** An error's message for a log line, whatever was thrown. */
export function errMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
