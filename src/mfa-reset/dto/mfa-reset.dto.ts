import { ApiProperty } from '@nestjs/swagger';

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
}

export class MfaResetBatchResponse {
  @ApiProperty({
    type: [String],
    format: 'uuid',
    description: 'The ids reset, as Zabbix user.resettotp answers',
  })
  userids!: string[];
}

/** The OpenAPI shape of the batch body; the body may also be a bare array of ids. */
export class MfaResetBatchRequest {
  @ApiProperty({ type: [String], format: 'uuid', maxItems: MAX_BATCH_IDS })
  ids!: string[];
}
