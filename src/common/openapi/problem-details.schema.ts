import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

const TRACE_ID = {
  description: 'W3C trace id; the service log line of the request carries it',
  example: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00',
};

/** What a step-up refusal says about the proof it wants (Rocket.Chat's `details`). */
export class StepUpDetails {
  @ApiProperty({
    enum: ['totp', 'password', 'other'],
    description: 'The method asked for, or the one that was sent',
  })
  method!: string;
  @ApiProperty({ description: 'Always false: this service never sends codes' })
  codeGenerated!: boolean;
  @ApiPropertyOptional({
    type: [String],
    enum: ['totp', 'password'],
    description: 'The methods this account may use (on totp-required)',
  })
  availableMethods?: string[];
}

/** RFC 9457 problem details (the OpenAPI schema of every error answer). */
export class ProblemDetails {
  @ApiProperty({ example: 'https://tools.ietf.org/html/rfc9110#section-15.5.5' })
  type!: string;
  @ApiProperty({ example: 'Not Found' })
  title!: string;
  @ApiProperty({ type: 'integer', example: 404 })
  status!: number;
  @ApiProperty({ example: 'User not found' })
  detail!: string;
  @ApiProperty({ example: '/api/v1/ManagedAccount/ResetMFA/0f9e4c1a-3c55-4c1e-9d0c-6f1d2b7c8a90' })
  instance!: string;
  @ApiProperty(TRACE_ID)
  traceId!: string;
  @ApiPropertyOptional({
    enum: ['totp-required', 'totp-invalid', 'error-not-allowed', 'error-invalid-user'],
    description: 'Machine-readable reason, as Rocket.Chat names them',
  })
  errorType?: string;
  @ApiPropertyOptional({ type: StepUpDetails })
  details?: StepUpDetails;
  @ApiPropertyOptional({
    type: [String],
    format: 'uuid',
    description: 'Ids of a batch that do not exist (404 of the batch reset)',
  })
  missingIds?: string[];
}

/** ASP.NET Core's ValidationProblemDetails: problem details with an errors dictionary. */
export class ValidationProblemDetails {
  @ApiProperty({ example: 'https://tools.ietf.org/html/rfc9110#section-15.5.1' })
  type!: string;
  @ApiProperty({ example: 'One or more validation errors occurred.' })
  title!: string;
  @ApiProperty({ type: 'integer', example: 400 })
  status!: number;
  @ApiProperty({ example: 'See the errors property for details.' })
  detail!: string;
  @ApiProperty({ example: '/api/v1/ManagedAccount/ResetMFA/abc' })
  instance!: string;
  @ApiProperty(TRACE_ID)
  traceId!: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'array', items: { type: 'string' } },
    description: 'Field name (`$` for the body as a whole) to its messages',
    example: { id: ["The value 'abc' is not valid."] },
  })
  errors!: Record<string, string[]>;
}

/** A step-up refusal: 400 with `totp-required` (no recent proof) or `totp-invalid` (a bad one). */
export class StepUpProblemDetails {
  @ApiProperty({ example: 'https://tools.ietf.org/html/rfc9110#section-15.5.1' })
  type!: string;
  @ApiProperty({ example: 'Bad Request' })
  title!: string;
  @ApiProperty({ type: 'integer', example: 400 })
  status!: number;
  @ApiProperty({ example: 'TOTP Required [totp-required]' })
  detail!: string;
  @ApiProperty({ example: '/api/v1/ManagedAccount/ResetMFA/0f9e4c1a-3c55-4c1e-9d0c-6f1d2b7c8a90' })
  instance!: string;
  @ApiProperty(TRACE_ID)
  traceId!: string;
  @ApiProperty({ enum: ['totp-required', 'totp-invalid'] })
  errorType!: string;
  @ApiProperty({ type: StepUpDetails })
  details!: StepUpDetails;
}
