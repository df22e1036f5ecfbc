import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { AccountsRepository } from '../accounts/accounts.repository';
import { AuditReader } from '../audit/audit-reader.service';
import { MfaHistoryPage, MfaHistoryQuery } from '../audit/dto/audit-event.dto';
import { RequirePermission } from '../common/auth/auth.decorators';
import { Permission } from '../common/auth/permission';
import { ApiProblems, ApiTokenOrKey } from '../common/openapi/api-problems.decorator';
import { DomainError, ErrorCode } from '../common/problem/domain-error';
import { UuidParamPipe } from '../common/validation/uuid-param.pipe';

/** An account's MFA history: what the help desk looks at before (and after) a reset. */
@ApiTags('ManagedAccount')
@ApiTokenOrKey()
@Controller('api/v1/ManagedAccount')
export class MfaHistoryController {
  constructor(
    private readonly accounts: AccountsRepository,
    private readonly audit: AuditReader,
  ) {}

  @Get(':id/MfaHistory')
  @RequirePermission(Permission.ViewAccounts)
  @ApiOperation({
    operationId: 'GetMfaHistory',
    summary:
      "An account's enrolments, resets (by whom, why), lock-outs and their ends, newest first",
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: MfaHistoryPage, description: 'One page of the history' })
  @ApiProblems(400, 401, 403, [404, 'User not found'])
  async history(
    @Param('id', UuidParamPipe) id: string,
    @Query() query: MfaHistoryQuery,
  ): Promise<MfaHistoryPage> {
    if ((await this.accounts.findView(id)) === null)
      throw new DomainError(ErrorCode.AccountNotFound);
    return this.audit.mfaHistory(id, query);
  }
}
