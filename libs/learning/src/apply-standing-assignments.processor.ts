import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { JobContext, JobHandler, JobHandlerInstance, JobPayloads, Outbox } from '@lms/jobs';
import { AssignmentRepository } from './assignment.repository.js';
import { describeTarget, planDue } from './learning-rules.js';

/**
 * Assignments follow people. When identity writes `user.placed` (a person created, moved to another
 * unit, given another job role, imported), this job applies every standing assignment whose unit
 * subtree or job role now matches the person: one set-based insert, idempotent through the partial
 * unique index (a second run creates nothing), with a due date counted from the day they joined.
 */
@Injectable()
@JobHandler('learning.apply-standing-assignments')
export class ApplyStandingAssignmentsHandler implements JobHandlerInstance<'learning.apply-standing-assignments'> {
  private readonly logger = new Logger(ApplyStandingAssignmentsHandler.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(AssignmentRepository) private readonly assignments: AssignmentRepository,
    @Inject(Outbox) private readonly outbox: Outbox,
  ) {}

  async handle(payload: JobPayloads['learning.apply-standing-assignments'], _context?: JobContext): Promise<void> {
    const created = await this.apply(payload.userId);
    if (created.length) this.logger.log({ userId: payload.userId, created: created.length }, 'standing assignments applied');
  }

  /** Returns the ids of the enrolments created. */
  async apply(userId: string, at: Date = new Date()): Promise<string[]> {
    return this.dataSource.transaction(async (manager) => {
      const matches = await this.assignments.standingMatchesFor(manager, userId);
      // One enrolment per course: the oldest matching assignment wins.
      const byCourse = new Map<string, (typeof matches)[number]>();
      for (const m of matches) if (!byCourse.has(m.courseId)) byCourse.set(m.courseId, m);
      const rows = [...byCourse.values()].map((a) => {
        const due = planDue(
          a,
          describeTarget({ unit: a.targetUnit, includeSubUnits: a.target.includeSubUnits, jobRoleCode: a.target.jobRoleCode }),
          'joining',
          at,
        );
        return { assignmentId: a.id, courseId: a.courseId, courseVersionId: a.courseVersionId, dueAt: due.dueAt, dueReason: due.dueReason };
      });
      const ids = await this.assignments.enrolPerson(manager, userId, rows);
      await this.outbox.addMany(manager, 'enrolment.created', ids.map((enrolmentId) => ({ enrolmentId })));
      return ids;
    });
  }
}
