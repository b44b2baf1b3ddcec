/**
 * Keeps deprecation warnings that a dependency triggers, and that its users cannot act on,
 * off the terminal: tmi.js loads node-fetch 2, whose whatwg-url/tr46 `require('punycode')`
 * (DEP0040, https://nodejs.org/api/deprecations.html#DEP0040). Only the listed codes, and
 * only when the code that caused the warning lives in node_modules; the same deprecation
 * in our own code, and every other warning, still prints as Node prints it.
 */

/** Deprecation codes a dependency of ours is known to trigger. */
export const QUIET_DEPENDENCY_DEPRECATIONS: ReadonlySet<string> = new Set(['DEP0040']);

const THIS_FILE = /dependency-warnings\.[cm]?[jt]s/;

function warningCode(warning: string | Error, args: unknown[]): string | undefined {
  if (warning instanceof Error && 'code' in warning && typeof warning.code === 'string')
    return warning.code;
  const [typeOrOptions, code] = args;
  if (typeOrOptions && typeof typeOrOptions === 'object' && 'code' in typeOrOptions)
    return typeof typeOrOptions.code === 'string' ? typeOrOptions.code : undefined;
  return typeof code === 'string' ? code : undefined;
}

/**
 * The first stack frame outside Node's own modules and this file: the code that did what
 * is deprecated. In node_modules means a dependency did it.
 */
export function causedByDependency(stack: string): boolean {
  const frames = stack.split('\n').filter((line) => /^\s+at /.test(line));
  const caller = frames.find(
    (line) => !/\(node:|at node:|\(<anonymous>\)/.test(line) && !THIS_FILE.test(line),
  );
  return caller !== undefined && /[\\/]node_modules[\\/]/.test(caller);
}

/** A stack deep enough to reach past Node's module loader frames (a require is ~10 deep). */
function stack(): string {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 50;
  try {
    return new Error().stack ?? '';
  } finally {
    Error.stackTraceLimit = limit;
  }
}

let installed = false;

/** Installs the filter once per process; call before the dependencies are loaded. */
export function quietDependencyWarnings(): void {
  if (installed) return;
  installed = true;
  const emitWarning = process.emitWarning.bind(process) as (...args: unknown[]) => void;
  process.emitWarning = function quietEmitWarning(
    warning: string | Error,
    ...args: unknown[]
  ): void {
    const code = warningCode(warning, args);
    if (
      code !== undefined &&
      QUIET_DEPENDENCY_DEPRECATIONS.has(code) &&
      causedByDependency(stack())
    )
      return;
    emitWarning(warning, ...args);
  } as typeof process.emitWarning;
}
