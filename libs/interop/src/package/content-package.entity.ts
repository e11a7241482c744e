import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';

/**
 * An imported SCORM 1.2, SCORM 2004 or cmi5 package of a course. Its files live in the file
 * storage under `packages/<id>/`; its activities became lessons of the course's draft.
 */
@Entity('content_package')
@Index('idx_content_package_course', ['courseId', 'createdAt'])
@Check('ck_content_package_standard', `"standard" IN ('scorm12', 'scorm2004', 'cmi5')`)
export class ContentPackage {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid')
  courseId!: string;

  @Column('text')
  standard!: 'scorm12' | 'scorm2004' | 'cmi5';

  @Column('text', { nullable: true })
  edition!: string | null;

  /** The manifest identifier (SCORM) or course id (cmi5). */
  @Column('text')
  identifier!: string;

  @Column('text')
  title!: string;

  @Column('int')
  fileCount!: number;

  @Column('bigint')
  byteSize!: string;

  /** The author who imported it (an account id). */
  @Column('uuid', { nullable: true })
  createdBy!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}

/** One SCO or AU of a package, and the lesson (by slug, in the course) it became. */
@Entity('package_activity')
@Index('uq_package_activity_position', ['packageId', 'position'], { unique: true })
@Index('idx_package_activity_lesson', ['courseId', 'lessonSlug'])
@Check('ck_package_activity_kind', `"kind" IN ('sco', 'asset', 'au')`)
export class PackageActivityRow {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid')
  packageId!: string;

  @ManyToOne(() => ContentPackage, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'package_id' })
  package?: ContentPackage;

  @Column('uuid')
  courseId!: string;

  @Column('int')
  position!: number;

  @Column('text')
  identifier!: string;

  @Column('text')
  title!: string;

  /** Path inside the package (with parameters) or, for cmi5, possibly an absolute URL. */
  @Column('text')
  launch!: string;

  @Column('text')
  kind!: 'sco' | 'asset' | 'au';

  @Column('double precision', { nullable: true })
  masteryScore!: number | null;

  @Column('text', { nullable: true })
  moveOn!: string | null;

  @Column('text')
  lessonSlug!: string;
}
