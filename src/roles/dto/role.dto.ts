import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsIn } from 'class-validator';
import { ALL_PERMISSIONS } from '../../common/auth/permission';

export class UpdateRoleDto {
  @ApiProperty({
    type: [String],
    enum: ALL_PERMISSIONS,
    example: ['edit-other-user-totp', 'view-accounts'],
  })
  @IsIn(ALL_PERMISSIONS, {
    each: true,
    message: `each permission must be one of: ${ALL_PERMISSIONS.join(', ')}`,
  })
  @ArrayMaxSize(50)
  @IsArray()
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
