import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequirePermission } from '../common/auth/auth.decorators';
import { ApiProblems, ApiTokenOrKey } from '../common/openapi/api-problems.decorator';
import { Permission } from '../common/auth/permission';
import { AuditReader } from './audit-reader.service';
import {
  AuditEventPageResponse,
  AuditVerifyResponse,
  ListAuditEventsQuery,
} from './dto/audit-event.dto';

@ApiTags('AuditEvent')
@ApiTokenOrKey()
@Controller('api/v1/AuditEvent')
export class AuditController {
  constructor(private readonly audit: AuditReader) {}

  @Get()
  @RequirePermission(Permission.ViewAudit)
  @ApiOperation({
    operationId: 'ListAuditEvents',
    summary: 'Audit events, newest first, keyset-paged',
  })
  @ApiOkResponse({
    type: AuditEventPageResponse,
    description: 'One page of events; `next` leads to older ones',
  })
  @ApiProblems(400, 401, 403)
  list(@Query() query: ListAuditEventsQuery): Promise<AuditEventPageResponse> {
    return this.audit.list(query);
  }

  @Get('Verify')
  @RequirePermission(Permission.ViewAudit)
  @ApiOperation({
    operationId: 'VerifyAuditChain',
    summary:
      'Recomputes the keyed hash chain up to its anchored head: detects an edited, deleted or cut-off event',
  })
  @ApiOkResponse({
    type: AuditVerifyResponse,
    description: '`valid: false` when an event was changed, removed or cut off',
  })
  @ApiProblems(401, 403)
  async verify(): Promise<AuditVerifyResponse> {
    const { valid, count, brokenAt } = await this.audit.verify();
    return brokenAt === undefined ? { valid, count } : { valid, count, brokenAt };
  }
}
