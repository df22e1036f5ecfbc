import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';

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
}
