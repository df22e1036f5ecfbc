import { Module } from '@nestjs/common';
import { RefusalRecorder } from '../common/problem/refusal-recorder';
import { AuditRefusalRecorder } from './audit-refusal-recorder';
import { AuditController } from './audit.controller';
import { AuditService } from './audit.service';

@Module({
  controllers: [AuditController],
  providers: [AuditService, { provide: RefusalRecorder, useClass: AuditRefusalRecorder }],
  exports: [AuditService],
})
export class AuditModule {}
