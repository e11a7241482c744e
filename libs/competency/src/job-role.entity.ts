import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/**
 * A job role profile: people carry its code (`app_user.job_role_code`); its required competency
 * levels are `job_role_requirement` rows.
 */
@Entity('job_role')
export class JobRole {
  @PrimaryColumn('text')
  code!: string;

  @Column('text')
  title!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
