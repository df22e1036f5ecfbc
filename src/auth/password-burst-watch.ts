import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '../common/clock';
import type { RequestContext } from '../common/http/request-context';
import { APP_LOGGER, AppLogger } from '../common/logging/logger';
import { HTTP_METRICS } from '../common/logging/metrics.provider';
import type { HttpMetrics } from '../common/logging/request-logging';
import { APP_CONFIG, AppConfig } from '../config/app-config';

const WINDOW_MS = 60_000;
/** Accounts watched at once; the oldest window is dropped past that (memory stays bounded). */
const MAX_WATCHED = 10_000;

interface Window {
  since: number;
  failures: number;
  reported: boolean;
}

/**
 * Wrong passwords never lock an account (anyone could lock anyone out that way); a burst of them
 * against one account is made visible instead: one warn line and one count in the metrics per
 * account and minute once PASSWORD_BURST_THRESHOLD is reached. Per instance, in memory.
 */
@Injectable()
export class PasswordBurstWatch {
  private readonly windows = new Map<string, Window>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(APP_LOGGER) private readonly logger: AppLogger,
    @Inject(HTTP_METRICS) private readonly metrics: HttpMetrics,
    private readonly clock: Clock,
  ) {}

  wrongPassword(account: { id: string; name: string }, context: RequestContext): void {
    const now = this.clock.now().getTime();
    let window = this.windows.get(account.id);
    if (window === undefined || now - window.since > WINDOW_MS) {
      this.windows.delete(account.id);
      if (this.windows.size >= MAX_WATCHED) {
        const oldest = this.windows.keys().next().value;
        if (oldest !== undefined) this.windows.delete(oldest);
      }
      window = { since: now, failures: 0, reported: false };
      this.windows.set(account.id, window);
    }
    window.failures++;
    if (window.reported || window.failures < this.config.passwordBurstThreshold) return;
    window.reported = true;
    this.metrics.passwordBursts.inc();
    this.logger.warn(
      {
        traceId: context.traceId,
        accountId: account.id,
        userName: account.name,
        failures: window.failures,
        windowSeconds: WINDOW_MS / 1000,
        clientIp: context.clientIp,
      },
      'burst of wrong passwords against one account',
    );
  }
}
