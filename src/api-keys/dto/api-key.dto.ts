import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Max,
  Min,
} from 'class-validator';
import { ALL_PERMISSIONS } from '../../common/auth/permission';
import { PermissionList } from '../../common/validation/permission-list.decorator';
import { SafeText } from '../../common/validation/safe-text.decorator';

const GRANTS = ['step-up'];

// With stopAtFirstError, the decorator nearest a property is checked first: its type goes there.
export class CreateApiKeyDto {
  @ApiProperty({ example: 'nightly MFA reset job', minLength: 1, maxLength: 100 })
  @SafeText()
  @Length(1, 100)
  @IsString()
  name!: string;

  @ApiProperty({
    type: 'integer',
    minimum: 1,
    example: 90,
    description:
      'Days until the key expires: at most API_KEY_MAX_DAYS (365), or API_KEY_STEP_UP_MAX_DAYS (30) with the step-up grant',
  })
  @Max(3650)
  @Min(1)
  @IsInt()
  @Type(() => Number)
  expiresInDays!: number;

  @PermissionList("A subset of the owner's permissions; a call may use those the owner still holds")
  permissions!: string[];

  @ApiPropertyOptional({
    type: [String],
    enum: GRANTS,
    description:
      '`step-up`: the key is an MFA proof for calls that need step-up (needs a code sent with this call)',
  })
  @IsOptional()
  @IsIn(GRANTS, { each: true, message: `each grant must be one of: ${GRANTS.join(', ')}` })
  @ArrayMaxSize(5)
  @IsArray()
  grants?: string[];
}

export class CreatedApiKeyResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;
  @ApiProperty({
    description: 'The key: shown this once, stored only as a keyed hash',
    example: 'mfak_wEll3FnOdWT3tMv4UBsdB2CUVGKJ7YBGEWn2IedTpsT0r1Brn',
  })
  key!: string;
  @ApiProperty({ description: 'What lists show of the key', example: 'mfak_wEll3FnO' })
  prefix!: string;
  @ApiProperty()
  name!: string;
  @ApiProperty({ type: [String], enum: ALL_PERMISSIONS })
  permissions!: string[];
  @ApiProperty({ type: [String], enum: GRANTS })
  grants!: string[];
  @ApiProperty({ type: String, format: 'date-time' })
  expiresAt!: string;
}

export class ApiKeyResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;
  @ApiProperty({
    enum: ['active', 'revoked', 'expired', 'owner-disabled', 'credentials-changed'],
    description:
      'Whether the key is taken now; credentials-changed: its owner got a password, an MFA reset, a role or isActive change since',
  })
  state!: 'active' | 'revoked' | 'expired' | 'owner-disabled' | 'credentials-changed';
  @ApiProperty({ example: 'mfak_wEll3FnO' })
  prefix!: string;
  @ApiProperty()
  name!: string;
  @ApiProperty({ format: 'uuid' })
  ownerId!: string;
  @ApiProperty()
  ownerName!: string;
  @ApiProperty({ type: [String], enum: ALL_PERMISSIONS })
  permissions!: string[];
  @ApiProperty({ type: [String], enum: GRANTS })
  grants!: string[];
  @ApiProperty({ type: String, format: 'date-time' })
  createdAt!: string;
  @ApiProperty({ type: String, format: 'date-time' })
  expiresAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  revokedAt!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  lastUsedAt!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'Client address of the last use' })
  lastUsedIp!: string | null;
}

export class ListApiKeysQuery {
  @ApiPropertyOptional({
    type: Boolean,
    description: "Every account's keys (needs view-api-keys); else the caller's own",
  })
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'all must be true or false' })
  all?: string;
}
