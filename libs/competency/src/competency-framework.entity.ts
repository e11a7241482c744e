import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { FrameworkLevel, LangMap } from './framework-file.js';

/**
 * One imported version of a competency framework (`courses/frameworks/<key>.yaml`). Versions are
 * kept side by side: evidence recorded against version 1 stays meaningful after version 2 arrives.
 * `levels` are ordered, lowest first, numbered from 1.
 */
@Entity('competency_framework')
@Index('uq_competency_framework_version', ['key', 'version'], { unique: true })
@Check('ck_competency_framework_version', `version >= 1`)
export class CompetencyFramework {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('text')
  key!: string;

  @Column('int')
  version!: number;

  @Column('jsonb')
  title!: LangMap;

  @Column('jsonb', { nullable: true })
  description!: LangMap | null;

  @Column('jsonb')
  levels!: FrameworkLevel[];

  @Column('text', { nullable: true })
  source!: string | null;

  /** sha256 of the normalised file: re-importing the same version with other content is refused. */
  @Column('text')
  contentHash!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  importedAt!: Date;
}
