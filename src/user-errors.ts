import * as path from 'path';

/**
 * How a mistake in `.projenrc.ts` reaches the user. The errors raised for a
 * bad option or a generated file that would not pass its checks already say
 * everything (the option path, the value, what is valid, a caret under a bad
 * expression); the stack trace into node_modules that Node prints for an
 * uncaught error adds 20 lines and hides the message. So when the process
 * is the `.projenrc.ts` synth (`npx projen` runs it with ts-node), such an
 * error is printed as one message and the process exits with status 1.
 * `OBS_GITOPS_DEBUG=1` keeps Node's own report, stack included. Anywhere else
 * (tests, a program that constructs the project) the error is thrown as usual.
 *
 * Internal module: not exported from src/index.ts.
 */

/** Errors that describe the user's input, not a bug: their message is the whole story. */
const USER_ERRORS = new Set(['InvalidOptionError', 'ExpressionError', 'GeneratedFileError', 'DashboardCheckError']);

/** Run `fn`; a user error in a `.projenrc` synth is reported as one message (see above). */
export function reportingUserErrors<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (!(e instanceof Error) || !USER_ERRORS.has(e.name) || debugging() || !isProjenrcSynth()) throw e;
    process.stderr.write(formatUserError(e));
    process.exit(1);
  }
}

/** The one message: what is wrong, where to fix it, how to see more. */
export function formatUserError(e: Error): string {
  return `\n${e.name === 'InvalidOptionError' ? 'Error in .projenrc.ts: ' : 'Error: '}${e.message}\n\n` +
    'Nothing was written. Fix it in .projenrc.ts and run npx projen again (OBS_GITOPS_DEBUG=1 npx projen shows the stack trace).\n\n';
}

function debugging(): boolean {
  const v = process.env.OBS_GITOPS_DEBUG;
  return v !== undefined && v !== '' && v !== '0' && v.toLowerCase() !== 'false';
}

/** True when this process runs `.projenrc.ts` or `.projenrc.js` as its main script. */
function isProjenrcSynth(): boolean {
  const main = require.main?.filename ?? process.argv[1] ?? '';
  const scripts = [main, ...process.argv.slice(1, 4)].map((a) => path.basename(a));
  return scripts.some((s) => /^\.projenrc\.(ts|js|mjs|cjs)$/.test(s));
}
