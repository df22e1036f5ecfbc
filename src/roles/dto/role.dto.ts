import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsIn } from 'class-validator';
import { ALL_PERMISSIONS } from '../permission';

export class UpdateRoleDto {
  @ApiProperty({
    type: [String],
    enum: ALL_PERMISSIONS,
    example: ['edit-other-user-totp', 'view-accounts'],
  })
  @IsArray()
  @ArrayMaxSize(50)
  @IsIn(ALL_PERMISSIONS, {
    each: true,
    message: `each permission must be one of: ${ALL_PERMISSIONS.join(', ')}`,
  })
  permissions!: string[];
}

export class RoleResponse {
  @ApiProperty({ example: 'HelpDesk' })
  name!: string;
  @ApiProperty({ type: [String], enum: ALL_PERMISSIONS })
  permissions!: string[];
  @ApiProperty()
  builtIn!: boolean;
}
