import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';

/** `{"Login", "Password"}` as the NPS sample sends it (names case-insensitive). */
export class SignInDto {
  @ApiProperty({ example: 'admin' })
  @IsString()
  @Length(1, 256)
  login!: string;

  @ApiProperty({ example: 'correct horse battery staple', format: 'password' })
  @IsString()
  @Length(1, 1024)
  password!: string;
}
