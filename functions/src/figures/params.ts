// Query parsing for the figure endpoints: a 400 whose message and details name each offending parameter.
import type { HttpRequest } from '@azure/functions';
import type { z } from 'zod';
import { queryParams } from '../http/body';
import { ApiError, type ErrorDetail } from '../http/errors';

/** Validates the query string; unknown parameters, bad values and bad combinations are named one by one. */
export function readFigureQuery<S extends z.ZodType>(req: HttpRequest, schema: S): z.output<S> {
  const parsed = schema.safeParse(queryParams(req));
  if (parsed.success) return parsed.data;
  const details: ErrorDetail[] = parsed.error.issues.flatMap((issue): ErrorDetail[] =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((k) => ({ field: k, message: 'is not a parameter of this endpoint' }))
      : [{ field: issue.path.map(String).join('.') || '(query)', message: issue.message }],
  );
  const summary = details.map((d) => `${d.field} ${d.message}`).join('; ');
  throw new ApiError(400, 'invalid', `Invalid query parameter: ${summary}.`, details);
}
