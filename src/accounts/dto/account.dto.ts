import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  Equals,
  IsArray,
  IsBoolean,
  IsEmail,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { SafeText } from '../../common/validation/safe-text.decorator';

export const USER_NAME_PATTERN = /^[A-Za-z0-9._@-]{1,64}$/;
const USER_NAME_MESSAGE = 'userName must be 1 to 64 letters, digits or ._@-';
const PASSWORD_MESSAGE = 'password must be 12 to 128 characters';

// With stopAtFirstError, the decorator nearest a property is checked first: its type goes there.
export class CreateAccountDto {
  @ApiProperty({ example: 'alice', pattern: USER_NAME_PATTERN.source })
  @Matches(USER_NAME_PATTERN, { message: USER_NAME_MESSAGE })
  @IsString()
  userName!: string;

  @ApiProperty({ example: 'Alice Example' })
  @SafeText()
  @Length(1, 200)
  @IsString()
  displayName!: string;

  @ApiProperty({ example: 'alice@example.com' })
  @MaxLength(254)
  @IsEmail()
  // Before the address check, which throws on a lone surrogate (a 500 otherwise).
  @SafeText()
  @IsString()
  email!: string;

  @ApiProperty({ minLength: 12, maxLength: 128, format: 'password' })
  @Length(12, 128, { message: PASSWORD_MESSAGE })
  @IsString()
  password!: string;

  @ApiPropertyOptional({
    type: [String],
    example: ['User'],
    description: 'Role names; `["User"]` when left out',
  })
  @IsOptional()
  @IsString({ each: true })
  @ArrayMaxSize(20)
  @IsArray()
  roles?: string[];
}

export class UpdateAccountDto {
  @ApiPropertyOptional()
  @IsOptional()
  @SafeText()
  @Length(1, 200)
  @IsString()
  displayName?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @MaxLength(254)
  @IsEmail()
  @SafeText()
  @IsString()
  email?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  isActive?: boolean;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsString({ each: true })
  @ArrayMaxSize(20)
  @IsArray()
  roles?: string[];

  @ApiPropertyOptional({ minLength: 12, maxLength: 128, format: 'password' })
  @IsOptional()
  @Length(12, 128, { message: PASSWORD_MESSAGE })
  @IsString()
  password?: string;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    enum: [null],
    description: 'null ends a lock-out (the failed-attempt count starts again)',
  })
  @IsOptional()
  @Equals(null, { message: 'lockedUntil can only be set to null, which ends the lock-out' })
  lockedUntil?: null;
}

export class ListAccountsQuery {
  @ApiPropertyOptional({
    description: 'Substring of user name, display name or email (case-insensitive)',
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  search?: string;

  @ApiPropertyOptional({ type: 'integer', default: 0, minimum: 0, maximum: 2_147_483_647 })
  @IsOptional()
  @Type(() => Number)
  // The type first: class-validator checks the decorator nearest the property first.
  @Max(2_147_483_647)
  @Min(0)
  @IsInt()
  skip?: number;

  @ApiPropertyOptional({ type: 'integer', default: 50, minimum: 1, maximum: 200 })
  @IsOptional()
  @Type(() => Number)
  @Min(1)
  @Max(200)
  @IsInt()
  take?: number;
}

export class AccountResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;
  @ApiProperty()
  userName!: string;
  @ApiProperty()
  displayName!: string;
  @ApiProperty()
  email!: string;
  @ApiProperty({ type: [String] })
  roles!: string[];
  @ApiProperty()
  isActive!: boolean;
  @ApiProperty()
  mfaEnabled!: boolean;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  mfaEnrolledAt!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  lockedUntil!: string | null;
  @ApiProperty({ type: String, format: 'date-time' })
  createdAt!: string;
}

export class AccountListResponse {
  @ApiProperty({ type: [AccountResponse] })
  items!: AccountResponse[];
  @ApiProperty({ type: 'integer', description: 'Accounts matching the search, on every page' })
  totalCount!: number;
}
