import { applyDecorators } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiExtraModels,
  ApiResponse,
  ApiSecurity,
  getSchemaPath,
} from '@nestjs/swagger';
import {
  ProblemDetails,
  StepUpDetails,
  StepUpProblemDetails,
  ValidationProblemDetails,
} from './problem-details.schema';

/** What an error answer means when the operation does not say more. */
const DESCRIPTIONS: Record<number, string> = {
  400: 'The request is not valid: `errors` names each field',
  401: 'No valid access token (expired, revoked, of the wrong kind, or none sent)',
  403: 'The caller lacks the permission this call needs',
  404: 'Not found',
  409: 'Conflict with the current state',
  413: 'The body is over the size limit',
  429: 'Too many calls from this address: retry after `Retry-After` seconds',
  503: 'A dependency (the database) is not available',
};

/** An error answer: its status alone, or its status and what it means for this operation. */
export type ProblemAnswer = number | readonly [status: number, description: string];

const PROBLEM_MODELS = ApiExtraModels(
  ProblemDetails,
  ValidationProblemDetails,
  StepUpProblemDetails,
  StepUpDetails,
);

function problemResponse(status: number, description: string, schema: object) {
  return ApiResponse({ status, description, content: { 'application/problem+json': { schema } } });
}

/**
 * Declares error answers as application/problem+json with the shared schemas: 400 as
 * ValidationProblemDetails, every other status as ProblemDetails. A step-up route's 400 is
 * declared by RequireStepUp (ApiStepUpProblem), not here.
 */
export function ApiProblems(...answers: ProblemAnswer[]) {
  return applyDecorators(
    PROBLEM_MODELS,
    ...answers.map((answer) => {
      const [status, description] =
        typeof answer === 'number' ? [answer, DESCRIPTIONS[answer] ?? 'Error'] : answer;
      const model = status === 400 ? ValidationProblemDetails : ProblemDetails;
      return problemResponse(status, description, { $ref: getSchemaPath(model) });
    }),
  );
}

const STEP_UP_400 =
  'The request is not valid (`errors`), or step-up is needed: `totp-required` when no MFA ' +
  'proof is recent (send `x-2fa-code`), `totp-invalid` when the proof sent is wrong';

/**
 * A 400 that is a validation problem or a code refused (`totp-required`, `totp-invalid`, which
 * carry no errors): the step-up routes (RequireStepUp declares it) and the enrolment's confirmation.
 */
export function ApiStepUpProblem(description = STEP_UP_400) {
  return applyDecorators(
    PROBLEM_MODELS,
    problemResponse(400, description, {
      oneOf: [
        { $ref: getSchemaPath(ValidationProblemDetails) },
        { $ref: getSchemaPath(StepUpProblemDetails) },
      ],
    }),
  );
}

/** The OpenAPI name of the API-key scheme (`Authorization: <key>`; other headers in the docs). */
export const API_KEY_SCHEME = 'apiKey';

/** Operations that take an access token or an API key, either one. */
export function ApiTokenOrKey() {
  return applyDecorators(ApiBearerAuth(), ApiSecurity(API_KEY_SCHEME));
}
