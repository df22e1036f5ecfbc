import { ApiProperty } from '@nestjs/swagger';
import { ALL_PERMISSIONS } from '../../common/auth/permission';
import { PermissionList } from '../../common/validation/permission-list.decorator';

export class UpdateRoleDto {
  @PermissionList()
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
