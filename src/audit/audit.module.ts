import { Module } from '@nestjs/common';
import { RefusalRecorder } from '../common/problem/refusal-recorder';
import { AuditRefusalRecorder } from './audit-refusal-recorder';
import { AuditEventsRepository } from './audit-events.repository';
import { AuditReader } from './audit-reader.service';
import { AuditController } from './audit.controller';
import { AuditService } from './audit.service';

@Module({
  controllers: [AuditController],
  providers: [
    AuditEventsRepository,
    AuditService,
    AuditReader,
    { provide: RefusalRecorder, useClass: AuditRefusalRecorder },
  ],
  exports: [AuditService, AuditReader],
})
export class AuditModule {}
