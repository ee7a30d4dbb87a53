import fc from 'fast-check';

/**
 * Runs a property-based suite (fast-check) with a fixed seed, prints how many cases it tried, and fails with the seed
 * and the counterexample. `fc` is the copy of fast-check the arbitraries of `./generated-input` are built with;
 * specs combine them with this one.
 */
export { fc };

/** The seed every generated-input suite uses unless GENERATED_CASES_SEED sets another: the same cases each run. */
export const DEFAULT_GENERATED_CASES_SEED = 20_261_201;

export interface GeneratedCasesOptions {
  /** How many cases to generate and try. GENERATED_CASES_RUNS, when set, replaces it (e.g. a long local run). */
  numRuns: number;
  /**
   * Stop at the first failing case instead of shrinking it: for properties that drive a live service, where each
   * shrinking step costs a round trip through the system. Default false.
   */
  endOnFailure?: boolean;
}

/** A generated case broke the property; the message carries the seed and path that replay it. */
export class GeneratedCaseFailedError extends Error {
  readonly code = 'GENERATED_CASE_FAILED';

  constructor(suite: string, report: string) {
    super(`${suite}: a generated case failed. Replay it with GENERATED_CASES_SEED and the path below.\n${report}`);
    this.name = 'GeneratedCaseFailedError';
  }
}

/** GENERATED_CASES_SEED or GENERATED_CASES_RUNS that is not an integer (in range). */
export class GeneratedCasesSettingError extends Error {
  readonly code = 'GENERATED_CASES_SETTING_INVALID';

  constructor(name: string, value: string, range: string) {
    super(`${name} must be an integer ${range} (received "${value}").`);
    this.name = 'GeneratedCasesSettingError';
  }
}

function integerSetting(
  env: Readonly<Record<string, string | undefined>>,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const value = env[name];
  if (value === undefined || value === '') return fallback;
  const parsed = Number(value);
  if (!/^-?\d+$/.test(value.trim()) || parsed < min || parsed > max) {
    throw new GeneratedCasesSettingError(name, value, `from ${min} to ${max}`);
  }
  return parsed;
}

/** The longest failure report kept in the error, in characters. */
const MAX_REPORT_LENGTH = 4_000;

/** What a run did: the cases tried (the failing one included) and the seed. */
export interface GeneratedCasesSummary {
  suite: string;
  cases: number;
  seed: number;
}

/**
 * Checks `property` on `options.numRuns` generated cases, seeded with {@link DEFAULT_GENERATED_CASES_SEED} (or
 * GENERATED_CASES_SEED), prints `<suite>: N generated cases tried (seed S)` through `log`, and throws
 * {@link GeneratedCaseFailedError} when a case fails.
 */
export async function checkGeneratedCases<Ts>(
  suite: string,
  property: fc.IRawProperty<Ts>,
  options: GeneratedCasesOptions,
  env: Readonly<Record<string, string | undefined>> = process.env,
  log: (line: string) => void = (line) => console.log(line),
): Promise<GeneratedCasesSummary> {
  const seed = integerSetting(env, 'GENERATED_CASES_SEED', DEFAULT_GENERATED_CASES_SEED, -(2 ** 31), 2 ** 31 - 1);
  const numRuns = integerSetting(env, 'GENERATED_CASES_RUNS', options.numRuns, 1, 1_000_000);
  const details = await fc.check(property, { seed, numRuns, endOnFailure: options.endOnFailure ?? false });
  // numRuns counts the failing case too.
  const cases = details.numRuns;
  log(`${suite}: ${cases} generated cases tried (seed ${seed})${details.failed ? ', one failed' : ''}`);
  if (details.failed) {
    const reason =
      details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
    const report = fc.defaultReportMessage(details) ?? '';
    // A counterexample can be a message of a megabyte: keep the report readable.
    const shown = report.length > MAX_REPORT_LENGTH ? `${report.slice(0, MAX_REPORT_LENGTH)}… (cut)` : report;
    throw new GeneratedCaseFailedError(suite, `${shown}\nThe case failed with: ${reason}`);
  }
  return { suite, cases, seed };
}
