import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  CurrentPrincipal,
  CurrentRequest,
  RequirePermission,
  RequireStepUp,
} from '../common/auth/auth.decorators';
import type { Principal } from '../common/auth/principal';
import type { RequestContext } from '../common/http/request-context';
import { ApiProblems, ApiTokenOrKey } from '../common/openapi/api-problems.decorator';
import { RoleResponse, UpdateRoleDto } from './dto/role.dto';
import { Permission } from '../common/auth/permission';
import { RolesService } from './roles.service';

@ApiTags('Role')
@ApiTokenOrKey()
@Controller('api/v1/Role')
export class RolesController {
  constructor(private readonly roles: RolesService) {}

  @Get()
  @RequirePermission(Permission.ManageRoles)
  @ApiOperation({ operationId: 'ListRoles', summary: 'Roles and their permissions' })
  @ApiOkResponse({ type: [RoleResponse], description: 'Every role, built-in ones first' })
  @ApiProblems(401, 403)
  list(): Promise<RoleResponse[]> {
    return this.roles.list();
  }

  @Put(':name')
  @RequirePermission(Permission.ManageRoles)
  @RequireStepUp()
  @ApiOperation({
    operationId: 'UpdateRole',
    summary: "Replaces a role's permissions, and sets its reset budget when given",
  })
  @ApiOkResponse({ type: RoleResponse, description: 'The role as it now is' })
  @ApiProblems(
    401,
    [403, 'The caller lacks `manage-roles`, or adds or removes a permission it lacks itself'],
    [404, 'No role has this name'],
    [409, 'Admin keeps every permission; the last account able to manage roles keeps that'],
  )
  update(
    @Param('name') name: string,
    @Body() body: UpdateRoleDto,
    @CurrentPrincipal() principal: Principal,
    @CurrentRequest() context: RequestContext,
  ): Promise<RoleResponse> {
    return this.roles.update(name, body.permissions, body.resetBudget, principal, context);
  }
}
