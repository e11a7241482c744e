import { Check, Column, CreateDateColumn, Entity, JoinColumn, OneToOne, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/**
 * DIAGNOSTIC: a probe of the job pipeline. Starting one writes this row and a 'jobs.probe' outbox
 * event in one transaction; the probe handler counts its runs here, can be told to take time
 * (`holdMs`) or to fail its first `failAttempts` attempts, and records its effect once in
 * job_probe_effect (the primary key makes a second run a no-op).
 */
@Entity('job_probe')
@Check('ck_job_probe_hold_ms', 'hold_ms BETWEEN 0 AND 60000')
@Check('ck_job_probe_fail_attempts', 'fail_attempts BETWEEN 0 AND 100')
export class JobProbe {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('int', { default: 0 })
  holdMs!: number;

  @Column('int', { default: 0 })
  failAttempts!: number;

  /** Handler runs started (a run killed mid-way counts too). */
  @Column('int', { default: 0 })
  runs!: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}

/** The effect of a probe: at most one row per probe, however often its job runs. */
@Entity('job_probe_effect')
export class JobProbeEffect {
  @PrimaryColumn('uuid')
  probeId!: string;

  @OneToOne(() => JobProbe, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'probe_id' })
  probe?: JobProbe;

  @Column('text')
  jobId!: string;

  @Column('int')
  attempt!: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
