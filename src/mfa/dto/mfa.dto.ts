import { ApiProperty } from '@nestjs/swagger';
import { IsDefined } from 'class-validator';

export class ConfirmEnrollmentDto {
  @ApiProperty({
    type: String,
    pattern: '^[0-9]{6}$',
    example: '123456',
    description: 'The current code from the authenticator app, six digits',
  })
  @IsDefined()
  code!: string;
}

export class EnrollmentResponse {
  @ApiProperty({ description: 'Base32 secret, for manual entry' })
  secret!: string;
  @ApiProperty({ example: 'otpauth://totp/MFA%20Admin:alice?secret=...&issuer=MFA%20Admin' })
  otpauthUri!: string;
  @ApiProperty({ description: 'The otpauth URI as a QR code, SVG markup' })
  qrCodeSvg!: string;
}

export class EnrollmentConfirmedResponse {
  @ApiProperty({ type: [String], description: 'Ten single-use recovery codes, shown once' })
  recoveryCodes!: string[];
  @ApiProperty({ description: 'A new access token (the session has just proved MFA)' })
  token!: string;
}

export class MfaStatusResponse {
  @ApiProperty()
  enabled!: boolean;
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  enrolledAt!: string | null;
  @ApiProperty({ type: 'integer', description: 'Unused recovery codes' })
  recoveryCodesLeft!: number;
}
