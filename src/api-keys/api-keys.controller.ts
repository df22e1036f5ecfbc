import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
  ApiCreatedResponse,
} from '@nestjs/swagger';
import {
  AllowTokenKinds,
  CurrentPrincipal,
  CurrentRequest,
  RequirePermission,
  RequireStepUp,
} from '../common/auth/auth.decorators';
import { memberOf } from '../common/ascii';
import { Permission } from '../common/auth/permission';
import type { Principal } from '../common/auth/principal';
import type { RequestContext } from '../common/http/request-context';
import { ApiProblems } from '../common/openapi/api-problems.decorator';
import { UuidParamPipe } from '../common/validation/uuid-param.pipe';
import { ApiKeysService, STEP_UP_GRANT } from './api-keys.service';
import {
  ApiKeyResponse,
  CreateApiKeyDto,
  CreatedApiKeyResponse,
  ListApiKeysQuery,
} from './dto/api-key.dto';

/** A body asking for the step-up grant: creating such a key needs a code sent with the call. */
function asksForStepUpGrant(body: unknown): boolean {
  const grants = memberOf(body, 'grants');
  return Array.isArray(grants) && grants.includes(STEP_UP_GRANT);
}

/** API keys are managed with a signed-in session only, never with a key. */
@ApiTags('ApiKey')
@ApiBearerAuth()
@AllowTokenKinds('access')
@Controller('api/v1/ApiKey')
export class ApiKeysController {
  constructor(private readonly keys: ApiKeysService) {}

  @Post()
  @HttpCode(201)
  @RequirePermission(Permission.ManageApiKeys)
  @RequireStepUp({ fresh: asksForStepUpGrant })
  @ApiOperation({
    operationId: 'CreateApiKey',
    summary: 'Creates an API key for the caller; the key is in this answer only',
  })
  @ApiCreatedResponse({
    type: CreatedApiKeyResponse,
    description: 'The key, shown this once',
  })
  @ApiProblems(
    [401, 'No valid access token (an API key cannot manage keys)'],
    [403, 'The caller lacks `manage-api-keys`, or asks for a permission it lacks'],
  )
  create(
    @Body() body: CreateApiKeyDto,
    @CurrentPrincipal() principal: Principal,
    @CurrentRequest() context: RequestContext,
  ): Promise<CreatedApiKeyResponse> {
    return this.keys.create(principal, body, context);
  }

  @Get()
  @RequirePermission(Permission.ManageApiKeys)
  @RequireStepUp()
  @ApiOperation({
    operationId: 'ListApiKeys',
    summary: "The caller's API keys, or every account's",
  })
  @ApiOkResponse({ type: [ApiKeyResponse], description: 'Keys newest first (never the key)' })
  @ApiProblems(
    [401, 'No valid access token (an API key cannot manage keys)'],
    [403, 'The caller lacks `manage-api-keys`, or `view-api-keys` for `all=true`'],
  )
  list(
    @Query() query: ListApiKeysQuery,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ApiKeyResponse[]> {
    return this.keys.list(principal, query.all === 'true');
  }

  @Delete(':id')
  @HttpCode(204)
  @RequirePermission(Permission.ManageApiKeys)
  @RequireStepUp()
  @ApiOperation({ operationId: 'RevokeApiKey', summary: 'Revokes an API key' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiNoContentResponse({ description: 'The key is revoked (also when it already was)' })
  @ApiProblems(
    [401, 'No valid access token (an API key cannot manage keys)'],
    [403, 'The caller lacks `manage-api-keys`'],
    [404, "No such key among the caller's (or, with `view-api-keys`, anyone's)"],
  )
  revoke(
    @Param('id', UuidParamPipe) id: string,
    @CurrentPrincipal() principal: Principal,
    @CurrentRequest() context: RequestContext,
  ): Promise<void> {
    return this.keys.revoke(principal, id, context);
  }
}
