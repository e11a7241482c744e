import { Check, Column, JoinColumn, ManyToOne, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { Course } from './course.entity.js';

export type LangMap = Record<string, string>;
export type CourseVersionStatus = 'draft' | 'published';

/** How a language of a version was translated (XLIFF import). */
export interface TranslationRecord {
  source: string;
  fromVersion: number;
  /** `unit#segment` → hash of the source segment translated. */
  hashes: Record<string, string>;
  importedAt: string;
}

export interface CompletionRule {
  quiz?: { passMark: number; attemptsAllowed: number } | null;
}

export interface QuizChoice {
  id: string;
  text: LangMap;
  correct?: boolean;
}
export interface QuizQuestion {
  id: string;
  type: 'single' | 'multiple';
  text: LangMap;
  choices: QuizChoice[];
  explanation?: LangMap;
}

/**
 * One version of a course. Published versions are immutable (a database trigger refuses
 * updates of published rows); an enrolment pins the version it started on.
 * `quiz` holds the questions WITH the correct answers: never send it to a learner as is.
 */
@Entity('course_version')
@Check('ck_course_version_status', `status IN ('draft', 'published')`)
@Index('uq_course_version', ['courseId', 'version'], { unique: true })
// Made in migration CatalogSearchAndDrafts: at most one draft per course (partial unique), and the
// full-text index GIN (to_tsvector('simple', search_text)) used by the catalog search.
@Index('uq_course_version_draft', { synchronize: false })
@Index('idx_course_version_search', { synchronize: false })
export class CourseVersion {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid')
  courseId!: string;

  @ManyToOne(() => Course, { onDelete: 'RESTRICT', nullable: false })
  @JoinColumn({ name: 'course_id' })
  course?: Course;

  @Column('int')
  version!: number;

  @Column('text')
  status!: CourseVersionStatus;

  /** sha256 of the normalised package: an unchanged import creates nothing. */
  @Column('text')
  contentHash!: string;

  @Column('text')
  defaultLanguage!: string;

  @Column('text', { array: true })
  languages!: string[];

  @Column('jsonb')
  title!: LangMap;

  @Column('jsonb')
  summary!: LangMap;

  @Column('text')
  audience!: string;

  @Column('text')
  level!: string;

  @Column('int')
  estimatedMinutes!: number;

  @Column('text')
  frameworkKey!: string;

  @Column('jsonb')
  competencies!: Array<{ code: string; level: number }>;

  @Column('jsonb')
  alignedWith!: string[];

  @Column('jsonb')
  completion!: CompletionRule;

  @Column('int', { nullable: true })
  certificateValidityMonths!: number | null;

  @Column('jsonb', { nullable: true })
  quiz!: { questions: QuizQuestion[] } | null;

  /** Normalised text (lower case, Cyrillic transliterated, diacritics removed) for full-text search. */
  @Column('text', { default: '' })
  searchText!: string;

  /**
   * Per language brought in through XLIFF: the source language, the version translated and the
   * SHA-256 of every source segment at that time, so a later source change shows the language as
   * outdated (GET /courses/:slug/languages). Languages written in the package files have none.
   */
  @Column('jsonb', { default: {} })
  translations!: Record<string, TranslationRecord>;

  @Column('uuid', { nullable: true })
  createdBy!: string | null;

  @Column('timestamptz', { nullable: true })
  publishedAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
