import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { CompetencyFramework } from './competency-framework.entity.js';
import type { CrosswalkRef, LangMap } from './framework-file.js';

/**
 * A node of a framework version's competency tree (domains at the top, competencies below).
 * Codes are stable across versions; the tree is stored flat with `parentCode` and `position`.
 */
@Entity('competency')
@Index('uq_competency_code', ['frameworkId', 'code'], { unique: true })
@Index('idx_competency_code', ['code'])
export class Competency {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid')
  frameworkId!: string;

  @ManyToOne(() => CompetencyFramework, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'framework_id' })
  framework?: CompetencyFramework;

  @Column('text')
  code!: string;

  @Column('text', { nullable: true })
  parentCode!: string | null;

  /** Order among siblings, as in the file. */
  @Column('int')
  position!: number;

  @Column('jsonb')
  title!: LangMap;

  @Column('jsonb', { nullable: true })
  description!: LangMap | null;

  /** References to other frameworks (IMS CASE association types). */
  @Column('jsonb')
  crosswalk!: CrosswalkRef[];
}
