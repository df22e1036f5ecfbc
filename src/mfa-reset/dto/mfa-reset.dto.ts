import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { MAX_REASON_LENGTH, MAX_TICKET_LENGTH } from '../reset-justification';

export const MAX_BATCH_IDS = 1000;

export class MfaResetResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;
  @ApiProperty()
  userName!: string;
  @ApiProperty({ description: 'false when the account had no MFA (the reset is idempotent)' })
  mfaWasEnabled!: boolean;
  @ApiProperty({
    type: 'integer',
    description: 'Sessions of the account ended by the reset (the caller keeps its own)',
  })
  sessionsRevoked!: number;
  @ApiPropertyOptional({
    example: 'K7QP-3MZX-T9WD',
    description:
      'With RESET_ENROLLMENT_CODE=true: the one-time code the account needs (as `enrollmentCode` of /signinBody) to enrol again; shown only here',
  })
  enrollmentCode?: string;
  @ApiPropertyOptional({ format: 'date-time', description: 'When the enrolment code expires' })
  enrollmentCodeExpiresAt?: string;
}

export class MfaResetBatchResponse {
  @ApiProperty({
    type: [String],
    format: 'uuid',
    description: 'The ids reset, as Zabbix user.resettotp answers',
  })
  userids!: string[];
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string' },
    description: 'With RESET_ENROLLMENT_CODE=true: account id -> its one-time enrolment code',
  })
  enrollmentCodes?: Record<string, string>;
  @ApiPropertyOptional({ format: 'date-time', description: 'When the enrolment codes expire' })
  enrollmentCodeExpiresAt?: string;
}

/** Why a reset is done: kept in its audit event, and shown in the account's MFA history. */
export class ResetJustificationBody {
  @ApiPropertyOptional({
    maxLength: MAX_REASON_LENGTH,
    example: 'Lost phone, identity checked by call-back',
    description:
      'Why the reset is done (required with RESET_REASON_REQUIRED=true); also accepted in the `X-Reset-Reason` header',
  })
  reason?: string;
  @ApiPropertyOptional({
    maxLength: MAX_TICKET_LENGTH,
    example: 'INC-4711',
    description: 'The help-desk ticket; also accepted in the `X-Reset-Ticket` header',
  })
  ticket?: string;
}

/** The OpenAPI shape of the batch body; the body may also be a bare array of ids. */
export class MfaResetBatchRequest extends ResetJustificationBody {
  @ApiProperty({ type: [String], format: 'uuid', maxItems: MAX_BATCH_IDS })
  ids!: string[];
}
