import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsDate,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxDate,
  MaxLength,
  Min,
  MinDate,
  Validate,
  ValidatorConstraint,
  ValidatorConstraintInterface,
} from 'class-validator';

/** Dates both databases store: a year 0 or -4714 is a 500 waiting to happen on PostgreSQL. */
const EARLIEST = new Date('1970-01-01T00:00:00Z');
const LATEST = new Date('9999-12-31T23:59:59.999Z');
const DATE_RANGE = '$property must be a date between 1970-01-01 and 9999-12-31';
const CURSOR_MESSAGE = 'cursor must be the next value of a previous page';

/** A position in the chain: a 32-bit integer, as the column stores it. */
@ValidatorConstraint({ name: 'isChainPosition' })
class IsChainPosition implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof value === 'string' && Number(value) <= 2_147_483_647;
  }
  defaultMessage(): string {
    return CURSOR_MESSAGE;
  }
}

export class ListAuditEventsQuery {
  @ApiPropertyOptional({ example: 'mfa.reset' })
  @IsOptional()
  @MaxLength(64)
  @IsString()
  action?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  actorId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  targetId?: string;

  @ApiPropertyOptional({ type: String, format: 'date-time' })
  @IsOptional()
  @Type(() => Date)
  @MaxDate(LATEST, { message: DATE_RANGE })
  @MinDate(EARLIEST, { message: DATE_RANGE })
  @IsDate()
  since?: Date;

  @ApiPropertyOptional({ type: String, format: 'date-time' })
  @IsOptional()
  @Type(() => Date)
  @MaxDate(LATEST, { message: DATE_RANGE })
  @MinDate(EARLIEST, { message: DATE_RANGE })
  @IsDate()
  until?: Date;

  @ApiPropertyOptional({ description: 'The `next` value of the previous page' })
  @IsOptional()
  @Validate(IsChainPosition)
  @Matches(/^[1-9][0-9]{0,9}$/, { message: CURSOR_MESSAGE })
  cursor?: string;

  @ApiPropertyOptional({ type: 'integer', default: 50, minimum: 1, maximum: 200 })
  @IsOptional()
  @Type(() => Number)
  @Min(1)
  @Max(200)
  @IsInt()
  take?: number;
}

export class AuditEventResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;
  @ApiProperty({ type: 'integer', description: 'Position in the hash chain' })
  seq!: number;
  @ApiProperty({ type: String, format: 'date-time' })
  occurredAt!: string;
  @ApiProperty({ example: 'mfa.reset' })
  action!: string;
  @ApiProperty({ enum: ['success', 'failure', 'denied'] })
  outcome!: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  actorId!: string | null;
  @ApiProperty({ type: String, nullable: true })
  actorName!: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  targetId!: string | null;
  @ApiProperty({ type: String, nullable: true })
  targetName!: string | null;
  @ApiProperty({ type: String, nullable: true })
  clientIp!: string | null;
  @ApiProperty({ type: String, nullable: true })
  userAgent!: string | null;
  @ApiProperty({ type: String, nullable: true })
  traceId!: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true })
  details!: Record<string, unknown> | null;
  @ApiProperty()
  hash!: string;
}

export class AuditEventPageResponse {
  @ApiProperty({ type: [AuditEventResponse] })
  items!: AuditEventResponse[];
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as `cursor` for the next (older) page',
  })
  next!: string | null;
}

export class AuditVerifyResponse {
  @ApiProperty()
  valid!: boolean;
  @ApiProperty({ type: 'integer', description: 'Events checked' })
  count!: number;
  @ApiPropertyOptional({
    type: 'integer',
    description:
      'When not valid: the chain position where it breaks (the first event that does not check out, or the one after the last when the end was cut or the head moved)',
  })
  brokenAt?: number;
}

export class MfaHistoryQuery {
  @ApiPropertyOptional({ description: 'The `next` value of the previous page' })
  @IsOptional()
  @Validate(IsChainPosition)
  @Matches(/^[1-9][0-9]{0,9}$/, { message: CURSOR_MESSAGE })
  cursor?: string;

  @ApiPropertyOptional({ type: 'integer', default: 50, minimum: 1, maximum: 200 })
  @IsOptional()
  @Type(() => Number)
  @Min(1)
  @Max(200)
  @IsInt()
  take?: number;
}

export const MFA_HISTORY_EVENTS = [
  'enrolled',
  'reset',
  'locked',
  'unlocked',
  'enrollment-code-used',
] as const;
export type MfaHistoryEvent = (typeof MFA_HISTORY_EVENTS)[number];

export class MfaHistoryItem {
  @ApiProperty({ type: String, format: 'date-time' })
  at!: string;
  @ApiProperty({ enum: MFA_HISTORY_EVENTS })
  event!: MfaHistoryEvent;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'Who did it' })
  byId!: string | null;
  @ApiProperty({ type: String, nullable: true })
  byName!: string | null;
  @ApiPropertyOptional({ description: 'A reset: the reason given' })
  reason?: string;
  @ApiPropertyOptional({ description: 'A reset: the ticket given' })
  ticket?: string;
  @ApiPropertyOptional({ type: String, format: 'date-time', description: 'A lock-out: its end' })
  lockedUntil?: string;
  @ApiProperty({ type: String, nullable: true })
  clientIp!: string | null;
  @ApiProperty({ type: String, nullable: true })
  traceId!: string | null;
  @ApiProperty({ format: 'uuid', description: 'The audit event it comes from' })
  auditEventId!: string;
}

export class MfaHistoryPage {
  @ApiProperty({ type: [MfaHistoryItem] })
  items!: MfaHistoryItem[];
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as `cursor` for the next (older) page',
  })
  next!: string | null;
}
