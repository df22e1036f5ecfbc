import { Body, Controller, Get, Param, Patch, Post, Query, Req, Res } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  bodyHasAny,
  CurrentPrincipal,
  CurrentRequest,
  RequirePermission,
  RequireStepUp,
} from '../common/auth/auth.decorators';
import type { Principal } from '../common/auth/principal';
import type { RequestContext } from '../common/http/request-context';
import { ApiProblems, ApiTokenOrKey } from '../common/openapi/api-problems.decorator';
import { UuidParamPipe } from '../common/validation/uuid-param.pipe';
import { Permission } from '../common/auth/permission';
import { AccountsService } from './accounts.service';
import { accountReadWithSession, ReadAccountWithSession } from './account-view';
import { GrantsAnyPermission } from './grants-any-permission';
import {
  AccountListResponse,
  AccountResponse,
  CreateAccountDto,
  ListAccountsQuery,
  UpdateAccountDto,
} from './dto/account.dto';

@ApiTags('ManagedAccount')
@ApiTokenOrKey()
@Controller('api/v1/ManagedAccount')
export class AccountsController {
  constructor(private readonly accounts: AccountsService) {}

  @Post()
  @RequirePermission(Permission.ManageAccounts)
  @RequireStepUp({ condition: GrantsAnyPermission })
  @ApiOperation({ operationId: 'CreateAccount', summary: 'Creates an account' })
  @ApiCreatedResponse({
    type: AccountResponse,
    description: 'The account; `Location` names its address',
  })
  @ApiProblems(
    401,
    [403, 'The caller lacks `manage-accounts`, or a role given grants a permission it lacks'],
    [409, 'The user name is taken'],
  )
  async create(
    @Body() body: CreateAccountDto,
    @CurrentPrincipal() principal: Principal,
    @CurrentRequest() context: RequestContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<AccountResponse> {
    const account = await this.accounts.create(body, principal, context);
    reply.header('Location', `/api/v1/ManagedAccount/${account.id}`);
    return account;
  }

  @Get()
  @RequirePermission(Permission.ViewAccounts)
  @ApiOperation({ operationId: 'ListAccounts', summary: 'Accounts, searched and paged' })
  @ApiOkResponse({ type: AccountListResponse, description: 'One page of accounts' })
  @ApiProblems(400, 401, 403)
  list(@Query() query: ListAccountsQuery): Promise<AccountListResponse> {
    return this.accounts.list(query);
  }

  @Get(':id')
  @RequirePermission(Permission.ViewAccounts)
  @ApiOperation({ operationId: 'GetAccount', summary: 'One account' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: AccountResponse, description: 'The account' })
  @ApiProblems(400, 401, 403, [404, 'User not found'])
  @ReadAccountWithSession('id')
  get(
    @Param('id', UuidParamPipe) id: string,
    @Req() req: FastifyRequest,
  ): Promise<AccountResponse> {
    return this.accounts.get(id, accountReadWithSession(req, id));
  }

  @Patch(':id')
  @RequirePermission(Permission.ManageAccounts)
  @RequireStepUp({ when: bodyHasAny('roles', 'password', 'isActive', 'lockedUntil', 'email') })
  @ApiOperation({
    operationId: 'UpdateAccount',
    summary: 'Changes an account; disabling, roles or password end its sessions',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: AccountResponse, description: 'The account as it now is' })
  @ApiProblems(
    401,
    [403, 'The caller lacks `manage-accounts`, or the change touches a permission it lacks'],
    [404, 'User not found'],
    [409, 'The change would leave no account able to manage roles'],
  )
  update(
    @Param('id', UuidParamPipe) id: string,
    @Body() body: UpdateAccountDto,
    @CurrentPrincipal() principal: Principal,
    @CurrentRequest() context: RequestContext,
  ): Promise<AccountResponse> {
    return this.accounts.update(id, body, principal, context);
  }
}
