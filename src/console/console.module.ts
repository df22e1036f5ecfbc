import { Inject, Module, OnApplicationBootstrap } from '@nestjs/common';
import { APP_LOGGER, AppLogger } from '../common/logging/logger';
import { ConsoleAssets, CONSOLE_DIST } from './console-assets';
import { ConsoleController } from './console.controller';

@Module({
  controllers: [ConsoleController],
  providers: [{ provide: ConsoleAssets, useFactory: () => ConsoleAssets.load() }],
})
export class ConsoleModule implements OnApplicationBootstrap {
  constructor(
    private readonly files: ConsoleAssets,
    @Inject(APP_LOGGER) private readonly logger: AppLogger,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.files.built) {
      this.logger.warn(
        { dir: CONSOLE_DIST },
        'the web console is not built (npm run build builds it); /console answers 404',
      );
    }
  }
}
