import { Controller, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Idempotent } from '../idempotency/idempotent.decorator';
import { JustificationInput, ResetJustificationInput } from './reset-justification';
import {
  AllowTokenKinds,
  CurrentPrincipal,
  CurrentRequest,
  RequireStepUp,
} from '../common/auth/auth.decorators';
import type { Principal } from '../common/auth/principal';
import type { RequestContext } from '../common/http/request-context';
import { ApiProblems } from '../common/openapi/api-problems.decorator';
import { MfaResetResponse, ResetJustificationBody } from './dto/mfa-reset.dto';
import { MfaResetService } from './mfa-reset.service';

/** The caller's own reset (Rocket.Chat's "no userId given"), beside the caller's other MFA calls. */
@ApiTags('Mfa')
@ApiBearerAuth()
@Controller('api/v1/Mfa')
export class OwnMfaResetController {
  constructor(private readonly resets: MfaResetService) {}

  @Put('Reset')
  // Not with an API key: a key (whatever it was given) must not switch its owner's MFA off.
  @AllowTokenKinds('access')
  @RequireStepUp()
  @Idempotent()
  @ApiBody({ type: ResetJustificationBody, required: false })
  @ApiOperation({
    operationId: 'ResetOwnMfa',
    summary: "Resets the caller's own MFA; the caller's session stays open",
  })
  @ApiOkResponse({
    type: MfaResetResponse,
    description: 'MFA is off and every other session of the caller has ended',
  })
  @ApiProblems(401)
  resetOwn(
    @CurrentPrincipal() principal: Principal,
    @CurrentRequest() context: RequestContext,
    @ResetJustificationInput() justification: JustificationInput,
  ): Promise<MfaResetResponse> {
    return this.resets.resetOwn(principal, context, justification);
  }
}
