import { readFileSync } from 'node:fs';
import { sqsPrismaPaths } from '@sqsref/sqs-prisma';

const BEGIN = /^\/\/ ---- BEGIN @sqsref\/sqs-prisma models.*\n/m;
const END = /^\/\/ ---- END @sqsref\/sqs-prisma models ----$/m;

/**
 * The block of a service's schema.prisma between the BEGIN and END markers of the copied `@sqsref/sqs-prisma`
 * models, and the source it was copied from. A service's test asserts they are equal, so the copy never drifts.
 */
export function copiedSqsModels(schemaFile: string): { copy: string | undefined; source: string } {
  const schema = readFileSync(schemaFile, 'utf8');
  const begin = BEGIN.exec(schema);
  const end = END.exec(schema);
  const copy =
    begin && end && end.index > begin.index ? schema.slice(begin.index + begin[0].length, end.index) : undefined;
  return { copy, source: readFileSync(sqsPrismaPaths.modelsFile, 'utf8') };
}

/** The variables of a configuration shape that a README's tables do not mention as `NAME`. */
export function undocumentedVariables(readmeFile: string, variables: readonly string[]): string[] {
  const readme = readFileSync(readmeFile, 'utf8');
  return variables.filter((name) => !new RegExp(`^\\|\\s*\`${name}\`\\s*\\|`, 'm').test(readme));
}
