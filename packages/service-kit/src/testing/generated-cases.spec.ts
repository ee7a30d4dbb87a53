import { describe, expect, it } from '@jest/globals';
import {
  checkGeneratedCases,
  DEFAULT_GENERATED_CASES_SEED,
  fc,
  GeneratedCaseFailedError,
  GeneratedCasesSettingError,
} from './generated-cases.js';

describe('checkGeneratedCases', () => {
  it('tries numRuns cases with the fixed seed and prints how many', async () => {
    const lines: string[] = [];
    let tried = 0;
    const summary = await checkGeneratedCases(
      'suite',
      fc.property(fc.integer(), () => {
        tried += 1;
      }),
      { numRuns: 25 },
      {},
      (line) => lines.push(line),
    );
    expect(summary).toEqual({ suite: 'suite', cases: 25, seed: DEFAULT_GENERATED_CASES_SEED });
    expect(tried).toBe(25);
    expect(lines).toEqual([`suite: 25 generated cases tried (seed ${DEFAULT_GENERATED_CASES_SEED})`]);
  });

  it('fails with the seed and the counterexample, and the same seed finds the same case again', async () => {
    const failing = () => fc.asyncProperty(fc.integer({ min: 0, max: 1_000 }), async (value) => value < 500);
    const run = async () => {
      const lines: string[] = [];
      const error = await checkGeneratedCases('suite', failing(), { numRuns: 100, endOnFailure: true }, {}, (line) =>
        lines.push(line),
      ).catch((caught: unknown) => caught);
      return { error, lines };
    };
    const first = await run();
    expect(first.error).toBeInstanceOf(GeneratedCaseFailedError);
    expect((first.error as GeneratedCaseFailedError).code).toBe('GENERATED_CASE_FAILED');
    expect((first.error as Error).message).toContain(`seed: ${DEFAULT_GENERATED_CASES_SEED}`);
    expect((first.error as Error).message).toMatch(/Counterexample: \[\d+\]/);
    expect(first.lines[0]).toMatch(/^suite: \d+ generated cases tried \(seed \d+\), one failed$/);
    const second = await run();
    expect((second.error as Error).message).toBe((first.error as Error).message);
  });

  it('takes the seed and the number of cases from GENERATED_CASES_SEED and GENERATED_CASES_RUNS', async () => {
    const summary = await checkGeneratedCases(
      'suite',
      fc.property(fc.nat(), () => true),
      { numRuns: 5 },
      { GENERATED_CASES_SEED: '42', GENERATED_CASES_RUNS: '7' },
      () => undefined,
    );
    expect(summary).toEqual({ suite: 'suite', cases: 7, seed: 42 });
  });

  it.each([
    ['GENERATED_CASES_RUNS', '0'],
    ['GENERATED_CASES_RUNS', 'many'],
    ['GENERATED_CASES_SEED', '1.5'],
  ])('refuses %s=%s, naming the variable and the range', async (name, value) => {
    const check = checkGeneratedCases(
      'suite',
      fc.property(fc.nat(), () => true),
      { numRuns: 1 },
      { [name]: value },
    );
    await expect(check).rejects.toBeInstanceOf(GeneratedCasesSettingError);
    await expect(check).rejects.toThrow(
      new RegExp(`^${name} must be an integer from -?\\d+ to \\d+ \\(received "${value}"\\)\\.$`),
    );
  });
});
