import { Body, Controller, Param, Put } from '@nestjs/common';
import {
  ApiBody,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
  getSchemaPath,
  ApiExtraModels,
} from '@nestjs/swagger';
import {
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
import { MfaResetBatchRequest, MfaResetBatchResponse, MfaResetResponse } from './dto/mfa-reset.dto';
import { MfaResetService } from './mfa-reset.service';
import { ResetBatchBodyPipe } from './reset-batch-body.pipe';

const NOT_ADMIN = 'User is not an Administrator';
const NOT_ADMIN_403 =
  'The caller lacks `edit-other-user-totp`, or a target holds a permission the caller lacks (`error-not-allowed`)';
const RESET_DONE = "MFA is off (if it was on) and the account's sessions have ended";

@ApiTags('ManagedAccount')
@ApiTokenOrKey()
@Controller('api/v1/ManagedAccount/ResetMFA')
export class MfaResetController {
  constructor(private readonly resets: MfaResetService) {}

  @Put(':id')
  @RequirePermission(Permission.EditOtherUserTotp, NOT_ADMIN)
  @RequireStepUp()
  @ApiOperation({ operationId: 'ResetMfaAsync', summary: 'Reset MFA for a user (by id)' })
  @ApiParam({ name: 'id', format: 'uuid', description: 'User to reset' })
  @ApiOkResponse({ type: MfaResetResponse, description: RESET_DONE })
  @ApiProblems(401, [403, NOT_ADMIN_403], [404, 'User not found'])
  resetById(
    @Param('id', UuidParamPipe) id: string,
    @CurrentPrincipal() principal: Principal,
    @CurrentRequest() context: RequestContext,
  ): Promise<MfaResetResponse> {
    return this.resets.resetById(principal, id, context);
  }

  @Put('ByName/:userName')
  @RequirePermission(Permission.EditOtherUserTotp, NOT_ADMIN)
  @RequireStepUp()
  @ApiOperation({
    operationId: 'ResetMfaByName',
    summary: 'Reset MFA for a user (by user name, case-insensitive)',
  })
  @ApiOkResponse({ type: MfaResetResponse, description: RESET_DONE })
  @ApiProblems(401, [403, NOT_ADMIN_403], [404, 'User not found'])
  resetByName(
    @Param('userName') userName: string,
    @CurrentPrincipal() principal: Principal,
    @CurrentRequest() context: RequestContext,
  ): Promise<MfaResetResponse> {
    return this.resets.resetByName(principal, userName, context);
  }

  @Put()
  @RequirePermission(Permission.EditOtherUserTotp, NOT_ADMIN)
  @RequireStepUp()
  @ApiOperation({
    operationId: 'ResetMfaBatch',
    summary: 'Reset MFA for many users, all or nothing',
  })
  @ApiExtraModels(MfaResetBatchRequest)
  @ApiBody({
    schema: {
      oneOf: [
        { type: 'array', items: { type: 'string', format: 'uuid' }, maxItems: 1000 },
        { $ref: getSchemaPath(MfaResetBatchRequest) },
      ],
    },
  })
  @ApiOkResponse({
    type: MfaResetBatchResponse,
    description: 'Every account named is reset (ids as sent, duplicates folded)',
  })
  @ApiProblems(
    401,
    [403, NOT_ADMIN_403],
    [404, 'An id does not exist (`missingIds` lists them): nothing was changed'],
  )
  resetMany(
    @Body(ResetBatchBodyPipe) ids: string[],
    @CurrentPrincipal() principal: Principal,
    @CurrentRequest() context: RequestContext,
  ): Promise<MfaResetBatchResponse> {
    return this.resets.resetMany(principal, ids, context);
  }
}
