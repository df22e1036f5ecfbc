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
import { Idempotent } from '../idempotency/idempotent.decorator';
import {
  MfaResetBatchRequest,
  MfaResetBatchResponse,
  MfaResetResponse,
  ResetJustificationBody,
} from './dto/mfa-reset.dto';
import { JustificationInput, ResetJustificationInput } from './reset-justification';
import { MfaResetService } from './mfa-reset.service';
import { ResetBatchBodyPipe } from './reset-batch-body.pipe';

const NOT_ADMIN = 'User is not an Administrator';
const NOT_ADMIN_403 =
  'The caller lacks `edit-other-user-totp`, or a target holds a permission the caller lacks (`error-not-allowed`)';
const RESET_DONE = "MFA is off (if it was on) and the account's sessions have ended";
const BURST_429 =
  "Past the caller's reset budget (`reset-budget-exceeded`): nothing was reset; retry after `Retry-After` seconds";
const OPTIONAL_REASON = ApiBody({
  type: ResetJustificationBody,
  required: false,
  description: 'Optional (the PUT may have no body): why, and the ticket',
});

@ApiTags('ManagedAccount')
@ApiTokenOrKey()
@Controller('api/v1/ManagedAccount/ResetMFA')
export class MfaResetController {
  constructor(private readonly resets: MfaResetService) {}

  @Put(':id')
  @RequirePermission(Permission.EditOtherUserTotp, NOT_ADMIN)
  @RequireStepUp()
  @ApiOperation({ operationId: 'ResetMfaAsync', summary: 'Reset MFA for a user (by id)' })
  @Idempotent()
  @ApiParam({ name: 'id', format: 'uuid', description: 'User to reset' })
  @OPTIONAL_REASON
  @ApiOkResponse({ type: MfaResetResponse, description: RESET_DONE })
  @ApiProblems(401, [403, NOT_ADMIN_403], [404, 'User not found'], [429, BURST_429])
  resetById(
    @Param('id', UuidParamPipe) id: string,
    @CurrentPrincipal() principal: Principal,
    @CurrentRequest() context: RequestContext,
    @ResetJustificationInput() justification: JustificationInput,
  ): Promise<MfaResetResponse> {
    return this.resets.resetById(principal, id, context, justification);
  }

  @Put('ByName/:userName')
  @RequirePermission(Permission.EditOtherUserTotp, NOT_ADMIN)
  @RequireStepUp()
  @ApiOperation({
    operationId: 'ResetMfaByName',
    summary: 'Reset MFA for a user (by user name, case-insensitive)',
  })
  @Idempotent()
  @OPTIONAL_REASON
  @ApiOkResponse({ type: MfaResetResponse, description: RESET_DONE })
  @ApiProblems(401, [403, NOT_ADMIN_403], [404, 'User not found'], [429, BURST_429])
  resetByName(
    @Param('userName') userName: string,
    @CurrentPrincipal() principal: Principal,
    @CurrentRequest() context: RequestContext,
    @ResetJustificationInput() justification: JustificationInput,
  ): Promise<MfaResetResponse> {
    return this.resets.resetByName(principal, userName, context, justification);
  }

  @Put()
  @RequirePermission(Permission.EditOtherUserTotp, NOT_ADMIN)
  @RequireStepUp()
  @ApiOperation({
    operationId: 'ResetMfaBatch',
    summary: 'Reset MFA for many users, all or nothing',
  })
  @Idempotent()
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
    [429, `${BURST_429}; a batch counts each account`],
  )
  resetMany(
    @Body(ResetBatchBodyPipe) ids: string[],
    @CurrentPrincipal() principal: Principal,
    @CurrentRequest() context: RequestContext,
    @ResetJustificationInput() justification: JustificationInput,
  ): Promise<MfaResetBatchResponse> {
    return this.resets.resetMany(principal, ids, context, justification);
  }
}
