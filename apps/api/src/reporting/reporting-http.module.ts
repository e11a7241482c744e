import { Module } from '@nestjs/common';
import { ReportingModule } from '@lms/reporting';
import { OpenDataController } from './open-data.controller.js';
import { ReportsController } from './reports.controller.js';

@Module({
  imports: [ReportingModule],
  controllers: [ReportsController, OpenDataController],
})
export class ReportingHttpModule {}
