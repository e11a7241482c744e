import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * The SCORM run-time data of one SCO in one enrolment (CMI as the SCO committed it, without the
 * learner's name, which the server supplies), with the sequence number of the last commit applied:
 * a commit is applied only when its sequence is higher, so a retried commit counts once.
 */
@Entity('scorm_runtime')
export class ScormRuntime {
  @PrimaryColumn('uuid')
  enrolmentId!: string;

  @PrimaryColumn('uuid')
  activityId!: string;

  @Column('int')
  sequence!: number;

  @Column('jsonb')
  cmi!: Record<string, unknown>;

  @Column('text', { nullable: true })
  completionStatus!: string | null;

  @Column('text', { nullable: true })
  successStatus!: string | null;

  @Column('double precision', { nullable: true })
  scoreScaled!: number | null;

  @Column('timestamptz')
  updatedAt!: Date;
}
