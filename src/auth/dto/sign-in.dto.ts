import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length } from 'class-validator';

/** `{"Login", "Password"}` as the NPS sample sends it (names case-insensitive). */
export class SignInDto {
  @ApiProperty({ example: 'admin' })
  @Length(1, 256)
  @IsString()
  login!: string;

  @ApiProperty({ example: 'correct horse battery staple', format: 'password' })
  @Length(1, 1024)
  @IsString()
  password!: string;

  @ApiPropertyOptional({
    example: 'K7QP-3MZX-T9WD',
    description:
      'The one-time enrolment code a reset handed out (RESET_ENROLLMENT_CODE=true): needed for the `enroll` token of an account whose MFA was reset',
  })
  @IsOptional()
  @Length(1, 64)
  @IsString()
  enrollmentCode?: string;
}
