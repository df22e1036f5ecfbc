import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import {
  ApiBearerAuth,
  ApiBody,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiResponse,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import { IsOptional, IsString, Length } from 'class-validator';
import {
  CurrentPrincipal,
  CurrentRequest,
  RequirePermission,
  RequireStepUp,
} from '../../common/auth/auth.decorators';
import { Permission } from '../../common/auth/permission';
import type { Principal } from '../../common/auth/principal';
import type { RequestContext } from '../../common/http/request-context';
import { API_KEY_SCHEME } from '../../common/openapi/api-problems.decorator';
import { MfaResetService } from '../../mfa-reset/mfa-reset.service';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class RocketChatResetTotpBody {
  @ApiPropertyOptional({
    description:
      "The user's id, or its user name; the caller's own TOTP is reset when it is left out",
    example: 'alice',
  })
  @IsOptional()
  @Length(1, 256)
  @IsString()
  userId?: string;
}

export class RocketChatSuccess {
  @ApiProperty({ example: true })
  success!: boolean;
}

export class RocketChatError {
  @ApiProperty({ example: false })
  success!: boolean;
  @ApiProperty({ example: 'TOTP Required [totp-required]' })
  error!: string;
  @ApiProperty({
    example: 'totp-required',
    description: 'totp-required, totp-invalid, error-not-allowed, error-invalid-user, ...',
  })
  errorType!: string;
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: 'For totp-required and totp-invalid: method, codeGenerated, availableMethods',
  })
  details?: Record<string, unknown>;
}

export class RocketChatUnauthorized {
  @ApiProperty({ example: 'error' })
  status!: string;
  @ApiProperty({ example: 'You must be logged in to do this.' })
  message!: string;
}

/**
 * Rocket.Chat's calls, served as Rocket.Chat serves them, over this service's own rules: the
 * same token check (API keys in `X-Auth-Token` + `X-User-Id`), permission, step-up and the one
 * reset service; only the shapes are Rocket.Chat's (errors through the one problem filter, in
 * this route's dialect).
 */
@ApiTags('Rocket.Chat')
@ApiBearerAuth()
@ApiSecurity(API_KEY_SCHEME)
@ApiSecurity('rocketChatToken')
@Controller('api/v1')
export class RocketChatController {
  constructor(private readonly resets: MfaResetService) {}

  @Post('users.resetTOTP')
  @HttpCode(200)
  @RouteConfig({ errorDialect: 'rocket-chat' })
  // Above RequireStepUp, so that its problem+json 400 gives way to Rocket.Chat's shape.
  @ApiResponse({
    status: 400,
    type: RocketChatError,
    description:
      'Refused, as Rocket.Chat answers: totp-required / totp-invalid (step-up), error-not-allowed, error-invalid-user',
  })
  @ApiResponse({
    status: 401,
    type: RocketChatUnauthorized,
    description: 'No valid X-Auth-Token / X-User-Id',
  })
  @RequirePermission(Permission.EditOtherUserTotp)
  @RequireStepUp()
  @ApiOperation({
    operationId: 'RocketChatUsersResetTotp',
    summary: "Rocket.Chat's users.resetTOTP: resets a user's TOTP (by id or user name)",
  })
  @ApiHeader({ name: 'X-User-Id', required: true, description: 'The id of the key owner' })
  @ApiBody({ type: RocketChatResetTotpBody, required: false })
  @ApiOkResponse({ type: RocketChatSuccess, description: 'The TOTP is reset' })
  async resetTotp(
    @Body() body: RocketChatResetTotpBody,
    @CurrentPrincipal() principal: Principal,
    @CurrentRequest() context: RequestContext,
  ): Promise<RocketChatSuccess> {
    const target = body.userId ?? principal.accountId;
    if (UUID.test(target)) await this.resets.resetById(principal, target.toLowerCase(), context);
    else await this.resets.resetByName(principal, target, context);
    return { success: true };
  }
}
