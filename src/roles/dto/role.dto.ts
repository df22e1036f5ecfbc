import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, Max, Min, ValidateIf } from 'class-validator';
import { ALL_PERMISSIONS } from '../../common/auth/permission';
import { PermissionList } from '../../common/validation/permission-list.decorator';

export const MAX_RESET_BUDGET = 1_000_000;
const BUDGET =
  'Accounts a holder may reset per 10 minutes (the burst guard); null: unlimited. Counts only for roles that grant `edit-other-user-totp`.';

export class UpdateRoleDto {
  @PermissionList()
  permissions!: string[];

  @ApiPropertyOptional({
    type: 'integer',
    nullable: true,
    minimum: 1,
    maximum: MAX_RESET_BUDGET,
    description: `${BUDGET} Left out: unchanged.`,
  })
  @IsOptional()
  @ValidateIf((_o, value) => value !== null)
  @Max(MAX_RESET_BUDGET)
  @Min(1)
  @IsInt()
  resetBudget?: number | null;
}

export class RoleResponse {
  @ApiProperty({ example: 'HelpDesk' })
  name!: string;
  @ApiProperty({ type: [String], enum: ALL_PERMISSIONS })
  permissions!: string[];
  @ApiProperty()
  builtIn!: boolean;
  @ApiProperty({ type: 'integer', nullable: true, description: BUDGET })
  resetBudget!: number | null;
}
