import { Controller, Get, Headers, Inject, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../common/auth/auth.decorators';
import { consoleSecurityHeaders } from '../common/http/security-headers';
import { DomainError, ErrorCode } from '../common/problem/domain-error';
import { ConsoleAssets, type ConsoleFile } from './console-assets';

/** The console's screens: each URL answers the same page, which shows the screen it names. */
export const CONSOLE_SCREENS = [
  'console',
  'console/sign-in',
  'console/enrol',
  'console/mfa',
  'console/accounts',
  'console/accounts/:id',
  'console/audit',
] as const;

/** Hashed names never change content: a year, without asking again. */
const ASSET_CACHE = 'public, max-age=31536000, immutable';

/**
 * Serves the built web console (console/ in the repository) at /console. It is a client of the
 * public API like any other and has no route of its own besides its files. Its
 * Content-Security-Policy and other headers: consoleSecurityHeaders.
 */
@ApiExcludeController()
@Controller()
@Public()
export class ConsoleController {
  constructor(@Inject(ConsoleAssets) private readonly files: ConsoleAssets) {}

  @Get([...CONSOLE_SCREENS])
  page(@Headers('accept-encoding') encoding: string | undefined, @Res() reply: FastifyReply): void {
    // The page names the current assets: never kept, so a new build is picked up at once.
    this.send(reply, this.files.page, encoding, 'no-store');
  }

  @Get('console/assets/:file')
  asset(
    @Param('file') file: string,
    @Headers('accept-encoding') encoding: string | undefined,
    @Res() reply: FastifyReply,
  ): void {
    this.send(reply, this.files.asset(file), encoding, ASSET_CACHE);
  }

  private send(
    reply: FastifyReply,
    file: ConsoleFile | undefined,
    encoding: string | undefined,
    cacheControl: string,
  ): void {
    if (file === undefined) throw new DomainError(ErrorCode.RouteNotFound);
    const gzip = file.gzip !== undefined && /\bgzip\b/i.test(encoding ?? '');
    void reply
      .headers(consoleSecurityHeaders())
      .header('Content-Type', file.contentType)
      .header('Cache-Control', cacheControl)
      .header('Vary', 'Accept-Encoding');
    if (gzip) void reply.header('Content-Encoding', 'gzip');
    void reply.send(gzip ? file.gzip : file.body);
  }
}
