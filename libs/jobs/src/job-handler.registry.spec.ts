import { Injectable, Module, Type } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { JobHandler, JobHandlerInstance } from './job-handler.js';
import { JobHandlerRegistry, JobHandlerSetupError } from './job-handler.registry.js';
import { JOB_NAMES } from './job-catalogue.js';

@Injectable()
@JobHandler('reports.refresh')
class RefreshReports implements JobHandlerInstance<'reports.refresh'> {
  async handle(): Promise<void> {}
}

@Injectable()
@JobHandler('reports.refresh')
class RefreshReportsAgain implements JobHandlerInstance<'reports.refresh'> {
  async handle(): Promise<void> {}
}

@Injectable()
@JobHandler('reports.nonsense' as never)
class UnknownJob {
  async handle(): Promise<void> {}
}

@Module({ providers: [RefreshReports] })
class ReportsModule {}

@Module({ providers: [RefreshReportsAgain] })
class OtherModule {}

async function registryWith(...imports: Type[]): Promise<JobHandlerRegistry> {
  const ref = await Test.createTestingModule({ imports: [DiscoveryModule, ...imports], providers: [JobHandlerRegistry] }).compile();
  return ref.get(JobHandlerRegistry);
}

describe('JobHandlerRegistry (start-up check)', () => {
  it('finds @JobHandler providers in any module', async () => {
    const registry = await registryWith(ReportsModule);
    expect(registry.get('reports.refresh')).toBeInstanceOf(RefreshReports);
    expect(registry.get('certificates.issue')).toBeUndefined();
  });

  it('refuses two handlers for one job, naming both and their modules', async () => {
    const registry = await registryWith(ReportsModule, OtherModule);
    expect(() => registry.discover()).toThrow(JobHandlerSetupError);
    expect(() => registry.discover()).toThrow(/job 'reports\.refresh' has 2 handlers: RefreshReports \(in ReportsModule\), RefreshReportsAgain \(in OtherModule\)/);
  });

  it('refuses a handler for a job the catalogue does not know', async () => {
    @Module({ providers: [UnknownJob] })
    class UnknownModule {}
    const registry = await registryWith(UnknownModule);
    expect(() => registry.discover()).toThrow(/UnknownJob \(in UnknownModule\) handles 'reports\.nonsense', which is not a job in the catalogue/);
  });

  it('strict: a job without a handler stops start-up, naming the jobs; relaxed: it lists them', async () => {
    const registry = await registryWith(ReportsModule);
    expect(() => registry.assertComplete(true)).toThrow(/No handler for job\(s\): .*certificates\.issue/);
    const missing = registry.assertComplete(false);
    expect(missing).toContain('certificates.issue');
    expect(missing).not.toContain('reports.refresh');
    expect(missing).toHaveLength(JOB_NAMES.length - 1);
  });
});
