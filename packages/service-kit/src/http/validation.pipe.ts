import type { ArgumentMetadata, PipeTransform } from '@nestjs/common';
import { Injectable } from '@nestjs/common';
import type { FieldError } from './api-error.js';
import { ValidationFailedError } from './api-error.js';

/**
 * Validates route arguments that declare a schema, Nest 12 style: `@Body({ schema: CreateOrder })`,
 * `@Param('id', { schema: z.uuid() })`. Works with any Standard Schema (zod 4 here); the same schema also feeds
 * the OpenAPI document. Invalid input is a 400 whose `errors` list `{ field, message }` for every problem, with
 * body fields as dotted paths (`items.0.quantity`) and parameters by name. Returns the parsed value (unknown
 * body fields dropped, defaults applied). Arguments without a schema pass through untouched.
 */
/** The part of the Standard Schema interface (https://standardschema.dev) the pipe uses; zod 4 implements it. */
export interface StandardSchema {
  readonly '~standard': {
    validate(value: unknown): StandardResult | Promise<StandardResult>;
  };
}

interface StandardIssue {
  readonly message: string;
  readonly path?: ReadonlyArray<PropertyKey | { readonly key: PropertyKey }> | undefined;
}

type StandardResult =
  { readonly value: unknown; readonly issues?: undefined } | { readonly issues: readonly StandardIssue[] };

@Injectable()
export class ZodValidationPipe implements PipeTransform {
  async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const schema = (metadata as ArgumentMetadata & { schema?: StandardSchema }).schema;
    if (!schema || metadata.type === 'custom') return value;
    const result = await schema['~standard'].validate(value);
    if (result.issues) throw new ValidationFailedError(result.issues.map((issue) => toFieldError(issue, metadata)));
    return result.value;
  }
}

function toFieldError(issue: StandardIssue, metadata: ArgumentMetadata): FieldError {
  const path = (issue.path ?? []).map((segment) =>
    String(typeof segment === 'object' && segment !== null ? segment.key : segment),
  );
  // A whole body or query object is reported by its own paths; a single parameter (`@Param('id')`) by its name.
  const base = metadata.data ? [metadata.data] : [];
  const field = [...base, ...path].join('.');
  return { field: field === '' ? `(${metadata.type})` : field, message: issue.message };
}
