import { Inject, Injectable, Logger } from '@nestjs/common';
import { JobHandler, JobHandlerInstance } from '@lms/jobs';
import { CompletionFactRepository } from './completion-fact.repository.js';
import { OpenDataService } from './open-data.service.js';

/**
 * 'reports.refresh' (scheduled every 15 minutes, see SCHEDULES): rebuilds the completion
 * aggregate, and the open-data tables when they are a day old. Idempotent: a rebuild replaces the
 * aggregate wholesale, and an advisory lock makes a second concurrent run skip.
 */
@Injectable()
@JobHandler('reports.refresh')
export class ReportsRefreshProcessor implements JobHandlerInstance<'reports.refresh'> {
  private readonly logger = new Logger('ReportsRefresh');

  constructor(
    @Inject(CompletionFactRepository) private readonly completion: CompletionFactRepository,
    @Inject(OpenDataService) private readonly openData: OpenDataService,
  ) {}

  async handle(): Promise<void> {
    const completion = await this.completion.rebuild();
    const openData = await this.openData.refresh();
    this.logger.log(
      `completion: ${completion.refreshed ? `${completion.rows} rows in ${completion.durationMs} ms` : 'skipped (running elsewhere)'}; ` +
        `open data: ${openData.generated ? `rebuilt in ${openData.durationMs} ms` : 'fresh enough or running elsewhere'}`,
    );
  }
}
