import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { ProblemDetails, ValidationProblemDetails } from './problem-details.schema';

const DESCRIPTIONS: Record<number, string> = {
  400: 'Bad Request: validation failed, or step-up (totp-required / totp-invalid)',
  401: 'Unauthorized: no valid access token',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  429: 'Too Many Requests',
};

/** Declares error answers as application/problem+json with the shared schemas. */
export function ApiProblems(...statuses: number[]) {
  return applyDecorators(
    ApiExtraModels(ProblemDetails, ValidationProblemDetails),
    ...statuses.map((status) =>
      ApiResponse({
        status,
        description: DESCRIPTIONS[status] ?? 'Error',
        content: {
          'application/problem+json': {
            schema: {
              $ref: getSchemaPath(status === 400 ? ValidationProblemDetails : ProblemDetails),
            },
          },
        },
      }),
    ),
  );
}
