import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** RFC 9457 problem details (the OpenAPI schema of every error answer). */
export class ProblemDetails {
  @ApiProperty({ example: 'https://tools.ietf.org/html/rfc9110#section-15.5.5' })
  type!: string;
  @ApiProperty({ example: 'Not Found' })
  title!: string;
  @ApiProperty({ example: 404 })
  status!: number;
  @ApiProperty({ example: 'User not found' })
  detail!: string;
  @ApiProperty({ example: '/api/v1/ManagedAccount/ResetMFA/0f9e4c1a-3c55-4c1e-9d0c-6f1d2b7c8a90' })
  instance!: string;
  @ApiProperty({ example: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00' })
  traceId!: string;
  @ApiPropertyOptional({
    enum: ['totp-required', 'totp-invalid', 'error-not-allowed', 'error-invalid-user'],
    description: 'Machine-readable reason, as Rocket.Chat names them',
  })
  errorType?: string;
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: 'Step-up facts: method, codeGenerated, availableMethods',
  })
  details?: Record<string, unknown>;
  @ApiPropertyOptional({
    type: [String],
    format: 'uuid',
    description: 'Ids of a batch that do not exist',
  })
  missingIds?: string[];
}

/** ASP.NET Core's ValidationProblemDetails: problem details with an errors dictionary. */
export class ValidationProblemDetails extends ProblemDetails {
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'array', items: { type: 'string' } },
    example: { id: ["The value 'abc' is not valid."] },
  })
  errors!: Record<string, string[]>;
}
