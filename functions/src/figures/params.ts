// Query parsing for the figure endpoints: a 400 whose message and details name each offending parameter.
import type { HttpRequest } from '@azure/functions';
import type { z } from 'zod';
import { queryParams } from '../http/body';
import { ApiError, describeIssues, problemsSentence, type ErrorDetail } from '../http/errors';

/** Validates the query string; unknown parameters, bad values and bad combinations are named one by one. */
export function readFigureQuery<S extends z.ZodType>(req: HttpRequest, schema: S): z.output<S> {
  const query = queryParams(req);
  const parsed = schema.safeParse(query);
  if (parsed.success) return parsed.data;
  const problems = describeIssues(parsed.error.issues, query, undefined, 'is not a parameter of this endpoint');
  const details: ErrorDetail[] = problems.map(({ field, message }) => ({ field, message }));
  throw new ApiError(400, 'invalid', problemsSentence(problems), details);
}
